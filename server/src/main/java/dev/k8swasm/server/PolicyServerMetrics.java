package dev.k8swasm.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

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
 * {@code request_origin} ({@code validate} or {@code audit}) and {@code error_code}. A label
 * policy-server leaves out (the namespace of a cluster-wide resource, the error code of an answer
 * without one, the resource of a raw request) is empty here, which Prometheus treats the same way.
 * {@code accepted}, {@code mutated} and {@code error_code} describe the policy's own answer, before
 * a custom message or {@code allowedToMutate} applied.
 */
final class PolicyServerMetrics {
  private static final double[] BUCKETS = {
    0.001, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000
  };

  private final MeterRegistry registry;

  PolicyServerMetrics(MeterRegistry registry) {
    this.registry = registry;
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
            "policy_name", policy.id(),
            "policy_mode", policy.mode(),
            "resource_kind", raw || kind == null ? "" : kind.path("kind").asText(""),
            "resource_namespace", raw ? "" : request.path("namespace").asText(""),
            "resource_request_operation", raw ? "" : request.path("operation").asText(""),
            "accepted", Boolean.toString(response.path("allowed").asBoolean(false)),
            "mutated", Boolean.toString(response.hasNonNull("patch")),
            "request_origin", origin == PolicyServerReviews.Origin.AUDIT ? "audit" : "validate",
            "error_code", code.isIntegralNumber() ? code.asText() : "");
    Counter.builder("kubewarden.policy.evaluations")
        .description("Policy evaluations, as Kubewarden's policy-server counts them")
        .tags(tags)
        .register(registry)
        .increment();
    DistributionSummary.builder("kubewarden.policy.evaluation.latency")
        .baseUnit("milliseconds")
        .description("Policy evaluation latency, as Kubewarden's policy-server measures it")
        .serviceLevelObjectives(BUCKETS)
        .tags(tags)
        .register(registry)
        .record(nanos / 1e6);
  }
}
