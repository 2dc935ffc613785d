package dev.k8swasm.observe;

import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ReviewKind;
import java.time.Duration;

/**
 * Receives every module evaluation, for metrics and tracing. Called on the evaluating thread:
 * implementations must be thread-safe and fast, and must not throw.
 */
@FunctionalInterface
public interface EvaluationListener {

  /** A listener that ignores everything. */
  EvaluationListener NONE = evaluation -> {};

  /** Called once per module evaluation. */
  void onEvaluation(Evaluation evaluation);

  /**
   * Reports an evaluation of {@code module} that started at {@code startNanos} ({@link
   * System#nanoTime()}), safely.
   */
  static void report(
      EvaluationListener listener,
      String module,
      ReviewKind kind,
      EvaluationDecision decision,
      long startNanos,
      FailureReason failure) {
    notify(
        listener,
        Evaluation.of(
            module, kind, decision, Duration.ofNanos(System.nanoTime() - startNanos), failure));
  }

  /** Calls safely, so a failing listener never changes a decision. */
  static void notify(EvaluationListener listener, Evaluation evaluation) {
    try {
      listener.onEvaluation(evaluation);
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(EvaluationListener.class)
          .warn("evaluation listener {} failed: {}", listener, e.toString());
    }
  }
}
