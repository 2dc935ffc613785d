package dev.k8swasm.observe;

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
