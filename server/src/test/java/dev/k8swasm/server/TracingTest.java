package dev.k8swasm.server;

import static dev.k8swasm.server.Fixture.module;
import static dev.k8swasm.server.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spans per request and per module evaluation, recorded with the SDK's in-memory exporter. */
class TracingTest {
  @Test
  void aRequestGivesOneSpanWithOneChildPerPolicyEvaluated(@TempDir Path dir) throws Exception {
    Path wapc = module("kubewarden/policy_wapc_init.wasm");
    Path policies =
        Fixture.write(
            dir.resolve("policies.yml"),
            "no-forbidden:\n  module: "
                + wapc
                + "\n  settings: {forbiddenLabels: [forbidden]}\n"
                + "add-team:\n  module: "
                + wapc
                + "\n  allowedToMutate: true\n  settings: {addLabels: {team: blue}}\n");
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    SdkTracerProvider provider =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider).build()) {
      WebhookServer server =
          WebhookServer.builder(policies)
              .overrides(new Fixture.Flags().overrides())
              .openTelemetry(sdk)
              .build()
              .start();
      List<X509Certificate> chain = server.certificateChain();
      try (Fixture.Running s =
          new Fixture.Running(
              server,
              Fixture.client(List.of(chain.get(chain.size() - 1)), null, null),
              new CopyOnWriteArrayList<>())) {
        s.review("/validate/no-forbidden", request("kubewarden/pod-create-forbidden.json"));
        Fixture.await(() -> exporter.getFinishedSpanItems().size() >= 2, "two spans");
        List<SpanData> spans = exporter.getFinishedSpanItems();
        SpanData validation =
            spans.stream().filter(d -> d.getName().equals("validation")).findFirst().orElseThrow();
        assertThat(validation.getAttributes().get(AttributeKey.stringKey("policy_id")))
            .isEqualTo("no-forbidden");
        assertThat(validation.getAttributes().get(AttributeKey.booleanKey("allowed"))).isFalse();
        assertThat(validation.getAttributes().get(AttributeKey.stringKey("request_uid")))
            .isEqualTo("705ab4f5-6393-11e8-b7cc-42010a800003");
        List<SpanData> evaluations =
            spans.stream().filter(d -> d.getName().equals("policy_evaluation")).toList();
        assertThat(evaluations).hasSize(1);
        assertThat(evaluations.get(0).getParentSpanId()).isEqualTo(validation.getSpanId());
        assertThat(evaluations.get(0).getTraceId()).isEqualTo(validation.getTraceId());
        assertThat(evaluations.get(0).getAttributes().get(AttributeKey.stringKey("policy_id")))
            .isEqualTo("no-forbidden");

        // our /mutate endpoint: one request span, one evaluation span per module evaluated
        exporter.reset();
        s.review(WebhookServer.MUTATE, request("kubewarden/pod-create.json"));
        Fixture.await(() -> exporter.getFinishedSpanItems().size() >= 2, "two spans");
        SpanData mutate =
            exporter.getFinishedSpanItems().stream()
                .filter(d -> d.getName().equals("POST /mutate"))
                .findFirst()
                .orElseThrow();
        assertThat(
                exporter.getFinishedSpanItems().stream()
                    .filter(d -> d.getName().equals("policy_evaluation"))
                    .map(SpanData::getParentSpanId))
            .containsExactly(mutate.getSpanId());
      }
    }
  }

  @Test
  void aGroupGivesOneRequestSpanAChildPerMemberEvaluatedAndPolicyServerMetrics(@TempDir Path dir)
      throws Exception {
    Path wapc = module("kubewarden/policy_wapc_init.wasm");
    Path policies =
        Fixture.write(
            dir.resolve("policies.yml"),
            "group:\n"
                + "  expression: \"blocker() || never()\"\n"
                + "  message: rejected by the group\n"
                + "  policies:\n"
                + "    blocker:\n"
                + "      module: "
                + wapc
                + "\n"
                + "      settings: {forbiddenLabels: [other]}\n"
                + "    never:\n"
                + "      module: "
                + wapc
                + "\n");
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    InMemoryMetricReader metrics = InMemoryMetricReader.create();
    try (OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                    .build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .build()) {
      WebhookServer server =
          WebhookServer.builder(policies)
              .overrides(new Fixture.Flags().overrides())
              .openTelemetry(sdk)
              .build()
              .start();
      List<X509Certificate> chain = server.certificateChain();
      try (Fixture.Running s =
          new Fixture.Running(
              server,
              Fixture.client(List.of(chain.get(chain.size() - 1)), null, null),
              new CopyOnWriteArrayList<>())) {
        s.review("/validate/group", request("kubewarden/pod-create.json"));
        Fixture.await(() -> exporter.getFinishedSpanItems().size() >= 2, "two spans");
        List<SpanData> spans = exporter.getFinishedSpanItems();
        SpanData validation =
            spans.stream().filter(d -> d.getName().equals("validation")).findFirst().orElseThrow();
        // blocker() accepted: never() is not evaluated, and has no span
        assertThat(spans.stream().filter(d -> d.getName().equals("policy_evaluation")))
            .singleElement()
            .satisfies(
                e -> {
                  assertThat(e.getAttributes().get(AttributeKey.stringKey("policy_id")))
                      .isEqualTo("group/blocker");
                  assertThat(e.getParentSpanId()).isEqualTo(validation.getSpanId());
                });

        var collected = metrics.collectAllMetrics();
        MetricData total =
            collected.stream()
                .filter(m -> m.getName().equals("kubewarden_policy_evaluations_total"))
                .findFirst()
                .orElseThrow();
        assertThat(total.getInstrumentationScopeInfo().getName()).isEqualTo("kubewarden");
        var point = total.getLongSumData().getPoints().iterator().next();
        assertThat(point.getValue()).isEqualTo(1);
        var a = point.getAttributes();
        assertThat(a.get(AttributeKey.stringKey("policy_name"))).isEqualTo("group");
        assertThat(a.get(AttributeKey.stringKey("policy_mode"))).isEqualTo("protect");
        assertThat(a.get(AttributeKey.booleanKey("accepted"))).isTrue();
        assertThat(a.get(AttributeKey.booleanKey("mutated"))).isFalse();
        assertThat(a.get(AttributeKey.stringKey("resource_kind"))).isEqualTo("Pod");
        assertThat(a.get(AttributeKey.stringKey("resource_namespace"))).isEqualTo("default");
        assertThat(a.get(AttributeKey.stringKey("request_origin"))).isEqualTo("validate");
        assertThat(a.get(AttributeKey.longKey("error_code"))).isNull();
        assertThat(collected)
            .anySatisfy(
                m ->
                    assertThat(m.getName())
                        .isEqualTo("kubewarden_policy_evaluation_latency_milliseconds"));
      }
    }
  }
}
