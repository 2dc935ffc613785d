package dev.k8swasm.cli;

import static dev.k8swasm.server.Fixture.module;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import com.sun.net.httpserver.HttpServer;
import dev.k8swasm.server.Fixture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} with {@code OTEL_EXPORTER_OTLP_ENDPOINT} set exports its traces and policy-server's
 * metrics over OTLP/HTTP (protobuf) to a receiver on loopback started here: one request on a policy
 * group gives one trace with the request's span and one span per policy evaluated.
 */
class OtlpExportIT {
  /** One span as received: its trace, its parent, its name and string attributes. */
  record ReceivedSpan(String traceId, String parentId, String name, Map<String, String> attrs) {}

  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  private final List<String> metrics = new CopyOnWriteArrayList<>();
  private final List<String> services = new CopyOnWriteArrayList<>();
  private HttpServer receiver;

  @AfterEach
  void stop() {
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  @Test
  void aRequestGivesOneTraceWithOneSpanPerPolicyEvaluatedAndTheMetricsArrive(@TempDir Path dir)
      throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/v1/traces",
        x -> {
          traces(x.getRequestBody().readAllBytes());
          x.sendResponseHeaders(200, -1);
          x.close();
        });
    receiver.createContext(
        "/v1/metrics",
        x -> {
          metrics(x.getRequestBody().readAllBytes());
          x.sendResponseHeaders(200, -1);
          x.close();
        });
    receiver.start();

    Path wapc = module("kubewarden/policy_wapc_init.wasm");
    Path policies =
        Fixture.write(
            dir.resolve("policies.yml"),
            "pod-group:\n"
                + "  expression: \"first() && second()\"\n"
                + "  message: rejected by the group\n"
                + "  policies:\n"
                + "    first:\n"
                + "      module: "
                + wapc
                + "\n"
                + "      settings:\n"
                + "        forbiddenLabels: [forbidden]\n"
                + "    second:\n"
                + "      module: "
                + wapc
                + "\n"
                + "      settings:\n"
                + "        forbiddenLabels: [other]\n"
                + "single:\n"
                + "  module: "
                + wapc
                + "\n");
    try (ServeProcess serve =
        ServeProcess.start(
            dir,
            List.of("--policies", policies.toString(), "--metrics-port", "0"),
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://127.0.0.1:" + receiver.getAddress().getPort(),
                "OTEL_EXPORTER_OTLP_PROTOCOL",
                "http/protobuf",
                "OTEL_BSP_SCHEDULE_DELAY",
                "100",
                "OTEL_METRIC_EXPORT_INTERVAL",
                "300"))) {
      HttpResponse<String> r =
          serve.post("/validate/pod-group", Fixture.request("kubewarden/pod-create.json"));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(Fixture.json(r).path("response").path("allowed").asBoolean()).isTrue();
      Fixture.await(
          () -> spans.stream().anyMatch(s -> s.name().equals("validation")), "the request span");
      Fixture.await(
          () -> metrics.contains("kubewarden_policy_evaluations_total"), "the kubewarden metric");
    }
    ReceivedSpan request =
        spans.stream().filter(s -> s.name().equals("validation")).findFirst().orElseThrow();
    List<ReceivedSpan> trace =
        spans.stream().filter(s -> s.traceId().equals(request.traceId())).toList();
    // the request's span and one per policy evaluated: both members of the group
    assertThat(trace).hasSize(3);
    List<ReceivedSpan> evaluations =
        trace.stream().filter(s -> s.name().equals("policy_evaluation")).toList();
    assertThat(evaluations)
        .extracting(s -> s.attrs().get("policy_id"))
        .containsExactlyInAnyOrder("pod-group/first", "pod-group/second");
    assertThat(evaluations).allSatisfy(s -> assertThat(s.parentId()).isNotEmpty());
    assertThat(request.attrs()).containsEntry("policy_id", "pod-group");
    assertThat(metrics).contains("kubewarden_policy_evaluation_latency_milliseconds");
    assertThat(services).contains("k8s-wasm");
  }

  @Test
  void policyServersSwitchesExportOverGrpcAsPolicyServerDoes(@TempDir Path dir) throws Exception {
    // a gRPC OTLP receiver (HTTP/2 without TLS, as a collector sidecar listens on localhost:4317)
    org.eclipse.jetty.server.Server grpc = new org.eclipse.jetty.server.Server();
    org.eclipse.jetty.server.ServerConnector connector =
        new org.eclipse.jetty.server.ServerConnector(
            grpc,
            new org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory(
                new org.eclipse.jetty.server.HttpConfiguration()));
    connector.setHost("127.0.0.1");
    grpc.addConnector(connector);
    List<String> paths = new CopyOnWriteArrayList<>();
    grpc.setHandler(
        new org.eclipse.jetty.server.Handler.Abstract() {
          @Override
          public boolean handle(
              org.eclipse.jetty.server.Request request,
              org.eclipse.jetty.server.Response response,
              org.eclipse.jetty.util.Callback callback)
              throws Exception {
            String path = org.eclipse.jetty.server.Request.getPathInContext(request);
            paths.add(path + " " + request.getHeaders().get("content-type"));
            byte[] framed =
                org.eclipse.jetty.io.Content.Source.asByteArrayAsync(request, 16 << 20).get();
            // a gRPC message: 1 byte compressed flag, 4 bytes length, the protobuf
            byte[] message = java.util.Arrays.copyOfRange(framed, 5, framed.length);
            if (path.endsWith("TraceService/Export")) {
              traces(message);
            } else if (path.endsWith("MetricsService/Export")) {
              metrics(message);
            }
            response.setStatus(200);
            response.getHeaders().put("content-type", "application/grpc");
            response.setTrailersSupplier(
                () -> org.eclipse.jetty.http.HttpFields.build().put("grpc-status", "0"));
            response.write(true, java.nio.ByteBuffer.wrap(new byte[5]), callback);
            return true;
          }
        });
    grpc.start();
    try {
      Path wapc = module("kubewarden/policy_wapc_init.wasm");
      Path policies =
          Fixture.write(
              dir.resolve("policies.yml"),
              "single:\n  module: " + wapc + "\n  settings:\n    forbiddenLabels: [forbidden]\n");
      // what Kubewarden's controller sets with the OpenTelemetry sidecar: the endpoint only
      try (ServeProcess serve =
          ServeProcess.start(
              dir,
              List.of("--policies", policies.toString()),
              Map.of(
                  "OTEL_EXPORTER_OTLP_ENDPOINT",
                  "http://127.0.0.1:" + connector.getLocalPort(),
                  "KUBEWARDEN_LOG_FMT",
                  "otlp",
                  "KUBEWARDEN_ENABLE_METRICS",
                  "true",
                  "OTEL_BSP_SCHEDULE_DELAY",
                  "100",
                  "OTEL_METRIC_EXPORT_INTERVAL",
                  "300"))) {
        HttpResponse<String> r =
            serve.post("/validate/single", Fixture.request("kubewarden/pod-create.json"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Fixture.await(
            () -> spans.stream().anyMatch(s -> s.name().equals("validation")),
            "the request span over gRPC");
        Fixture.await(
            () -> metrics.contains("kubewarden_policy_evaluations_total"),
            "the kubewarden metric over gRPC");
      }
      assertThat(paths)
          .contains("/opentelemetry.proto.collector.trace.v1.TraceService/Export application/grpc");
      assertThat(spans).anySatisfy(s -> assertThat(s.attrs()).containsEntry("policy_id", "single"));
    } finally {
      grpc.stop();
    }
  }

  private void traces(byte[] body) throws IOException {
    for (UnknownFieldSet resourceSpans : messages(UnknownFieldSet.parseFrom(body), 1)) {
      for (UnknownFieldSet scopeSpans : messages(resourceSpans, 2)) {
        for (UnknownFieldSet span : messages(scopeSpans, 2)) {
          Map<String, String> attrs = new LinkedHashMap<>();
          for (UnknownFieldSet kv : messages(span, 9)) {
            List<UnknownFieldSet> value = messages(kv, 2);
            attrs.put(
                text(kv, 1),
                value.isEmpty() || !value.get(0).hasField(1) ? "" : text(value.get(0), 1));
          }
          spans.add(new ReceivedSpan(hex(span, 1), hex(span, 4), text(span, 5), Map.copyOf(attrs)));
        }
      }
    }
  }

  private void metrics(byte[] body) throws IOException {
    for (UnknownFieldSet resourceMetrics : messages(UnknownFieldSet.parseFrom(body), 1)) {
      for (UnknownFieldSet resource : messages(resourceMetrics, 1)) {
        for (UnknownFieldSet kv : messages(resource, 1)) {
          if (text(kv, 1).equals("service.name")) {
            services.add(text(messages(kv, 2).get(0), 1));
          }
        }
      }
      for (UnknownFieldSet scopeMetrics : messages(resourceMetrics, 2)) {
        for (UnknownFieldSet metric : messages(scopeMetrics, 2)) {
          metrics.add(text(metric, 1));
        }
      }
    }
  }

  private static List<UnknownFieldSet> messages(UnknownFieldSet set, int field) throws IOException {
    List<UnknownFieldSet> out = new ArrayList<>();
    if (set.hasField(field)) {
      for (ByteString b : set.getField(field).getLengthDelimitedList()) {
        out.add(UnknownFieldSet.parseFrom(b));
      }
    }
    return out;
  }

  private static String text(UnknownFieldSet set, int field) {
    return set.hasField(field)
        ? set.getField(field).getLengthDelimitedList().get(0).toStringUtf8()
        : "";
  }

  private static String hex(UnknownFieldSet set, int field) {
    return set.hasField(field)
        ? HexFormat.of()
            .formatHex(set.getField(field).getLengthDelimitedList().get(0).toByteArray())
        : "";
  }
}
