package dev.k8swasm.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;

/**
 * policy-server's metrics, with its names and labels, so that dashboards made for policy-server
 * work unchanged:
 *
 * <ul>
 *   <li>{@code kubewarden_policy_evaluations_total}: policy evaluations;
 *   <li>{@code kubewarden_policy_evaluation_latency_milliseconds}: their latency (histogram, with
 *       OpenTelemetry's default buckets as policy-server exports them; Micrometer refuses a bucket
 *       at 0, so the first is 0.001 ms).
 * </ul>
 *
 * <p>Labels: {@code policy_name}, {@code policy_mode}, {@code resource_kind}, {@code
 * resource_namespace}, {@code resource_request_operation}, {@code accepted}, {@code mutated},
 * {@code request_origin} ({@code validate} or {@code audit}), {@code error_code} and {@code
 * initialization_error}. A request to a policy that failed to initialize is counted (not timed) as
 * policy-server counts it, with only {@code policy_name} and {@code initialization_error} (the
 * cause). A label policy-server leaves out (the namespace of a cluster-wide resource, the error
 * code of an answer without one, the resource of a raw request) is empty here, which Prometheus
 * treats the same way. {@code accepted}, {@code mutated} and {@code error_code} describe the
 * policy's own answer, before a custom message or {@code allowedToMutate} applied.
 *
 * <p>With an OpenTelemetry SDK ({@link WebhookServer.Builder#openTelemetry}), the same two
 * instruments are recorded as policy-server records them (meter {@code kubewarden}, a counter and a
 * histogram in milliseconds, {@code accepted} and {@code mutated} as booleans, {@code
 * resource_namespace} and {@code error_code} only when there is one), to be exported over OTLP.
 * With {@link OpenTelemetry#noop()} that costs nothing.
 */
final class PolicyServerMetrics {
  private static final double[] BUCKETS = {
    0.001, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000
  };

  private final MeterRegistry registry;
  private final LongCounter otelEvaluations;
  private final LongHistogram otelLatency;
  private final boolean otel;

  PolicyServerMetrics(MeterRegistry registry, OpenTelemetry openTelemetry) {
    this.registry = registry;
    this.otel = openTelemetry != OpenTelemetry.noop();
    Meter meter = openTelemetry.getMeter("kubewarden");
    this.otelEvaluations =
        meter
            .counterBuilder("kubewarden_policy_evaluations_total")
            .setDescription("Policy evaluations, as Kubewarden's policy-server counts them")
            .build();
    this.otelLatency =
        meter
            .histogramBuilder("kubewarden_policy_evaluation_latency_milliseconds")
            .setDescription("Policy evaluation latency, as Kubewarden's policy-server measures it")
            .setUnit("ms")
            .ofLongs()
            .build();
  }

  /**
   * Records one evaluation of {@code policy}: {@code request} is the AdmissionRequest (or the raw
   * request), {@code response} the policy's answer.
   */
  void record(
      PolicyServerReviews.Policy policy,
      PolicyServerReviews.Origin origin,
      JsonNode request,
      JsonNode response,
      long nanos) {
    boolean raw = origin == PolicyServerReviews.Origin.VALIDATE_RAW;
    JsonNode kind = request.path("requestKind").isObject() ? request.get("requestKind") : null;
    JsonNode code = response.path("status").path("code");
    Tags tags =
        Tags.of(
            "policy_name",
            policy.id(),
            "policy_mode",
            policy.mode().wireName(),
            "resource_kind",
            raw || kind == null ? "" : kind.path("kind").asText(""),
            "resource_namespace",
            raw ? "" : request.path("namespace").asText(""),
            "resource_request_operation",
            raw ? "" : request.path("operation").asText(""),
            "accepted",
            Boolean.toString(response.path("allowed").asBoolean(false)),
            "mutated",
            Boolean.toString(response.hasNonNull("patch")),
            "request_origin",
            origin == PolicyServerReviews.Origin.AUDIT ? "audit" : "validate",
            "error_code",
            code.isIntegralNumber() ? code.asText() : "",
            "initialization_error",
            "");
    count(tags);
    DistributionSummary.builder("kubewarden.policy.evaluation.latency")
        .baseUnit("milliseconds")
        .description("Policy evaluation latency, as Kubewarden's policy-server measures it")
        .serviceLevelObjectives(BUCKETS)
        .tags(tags)
        .register(registry)
        .record(nanos / 1e6);
    if (otel) {
      AttributesBuilder a = Attributes.builder();
      a.put("policy_name", policy.id());
      a.put("policy_mode", policy.mode().wireName());
      if (!raw) {
        a.put("resource_kind", kind == null ? "" : kind.path("kind").asText(""));
        String namespace = request.path("namespace").asText("");
        if (!namespace.isEmpty()) {
          a.put("resource_namespace", namespace);
        }
        a.put("resource_request_operation", request.path("operation").asText(""));
        a.put("request_origin", origin == PolicyServerReviews.Origin.AUDIT ? "audit" : "validate");
      }
      a.put("accepted", response.path("allowed").asBoolean(false));
      a.put("mutated", response.hasNonNull("patch"));
      if (code.isIntegralNumber()) {
        a.put("error_code", code.asLong());
      }
      Attributes attributes = a.build();
      otelEvaluations.add(1, attributes);
      otelLatency.record(nanos / 1_000_000, attributes);
    }
  }

  /**
   * Records one request to {@code policy}, which failed to initialize with {@code error}: counted
   * with {@code policy_name} and {@code initialization_error} only, as policy-server does.
   */
  void recordInitializationError(PolicyServerReviews.Policy policy, String error) {
    count(
        Tags.of(
            "policy_name", policy.id(),
            "policy_mode", "",
            "resource_kind", "",
            "resource_namespace", "",
            "resource_request_operation", "",
            "accepted", "",
            "mutated", "",
            "request_origin", "",
            "error_code", "",
            "initialization_error", error));
    if (otel) {
      otelEvaluations.add(
          1,
          Attributes.builder()
              .put("policy_name", policy.id())
              .put("initialization_error", error)
              .build());
    }
  }

  private void count(Tags tags) {
    Counter.builder("kubewarden.policy.evaluations")
        .description("Policy evaluations, as Kubewarden's policy-server counts them")
        .tags(tags)
        .register(registry)
        .increment();
  }
}
