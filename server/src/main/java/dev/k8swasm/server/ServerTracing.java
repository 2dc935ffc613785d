package dev.k8swasm.server;

import dev.k8swasm.observe.Evaluation;
import dev.k8swasm.observe.EvaluationListener;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * OpenTelemetry spans: one per review request ({@code validation}, {@code validation_raw}, {@code
 * audit} on policy-server's endpoints, as policy-server names them; the endpoint otherwise), and
 * one per module evaluation within it ({@code policy_evaluation}). With {@link
 * OpenTelemetry#noop()} (the default) nothing is recorded.
 */
final class ServerTracing implements EvaluationListener {
  private final Tracer tracer;

  ServerTracing(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer("dev.k8swasm.server");
  }

  /** Starts the span of a request on {@code route}; the caller makes it current and ends it. */
  Span request(Route route, String path) {
    String name =
        switch (route) {
          case VALIDATE_RAW_ONE -> "validation_raw";
          case AUDIT_ONE -> "audit";
          case VALIDATE_ONE -> "validation";
          default -> route.method + " " + route.label;
        };
    Span span = tracer.spanBuilder(name).setSpanKind(SpanKind.SERVER).startSpan();
    span.setAttribute("endpoint", route.label);
    if (Route.single(route)) {
      span.setAttribute("policy_id", Route.module(path));
    }
    return span;
  }

  /** Records the answer of a request on its span. */
  static void answered(Span span, Reviews.Answer answer) {
    if (answer.uid() != null) {
      span.setAttribute("request_uid", answer.uid());
    }
    span.setAttribute("allowed", !"denied".equals(answer.decision()));
    span.setAttribute("mutated", "patched".equals(answer.decision()));
    if (answer.message() != null) {
      span.setAttribute("response_message", answer.message());
    }
  }

  /** Records a failed request on its span. */
  static void failed(Span span, int status, String message) {
    span.setAttribute("response_code", status);
    span.setStatus(StatusCode.ERROR, message);
  }

  /** A span for one module evaluation, a child of the current request's span. */
  @Override
  public void onEvaluation(Evaluation e) {
    Instant end = Instant.now();
    Span span =
        tracer
            .spanBuilder("policy_evaluation")
            .setStartTimestamp(
                end.minus(e.duration()).toEpochMilli() * 1_000_000L
                    + end.minus(e.duration()).getNano() % 1_000_000L,
                TimeUnit.NANOSECONDS)
            .startSpan();
    span.setAttribute("policy_id", e.module());
    span.setAttribute("kind", e.kind().toString());
    span.setAttribute("decision", e.decisionLabel());
    e.failure().ifPresent(f -> span.setStatus(StatusCode.ERROR, f.toString()));
    span.end(end);
  }
}
