package dev.k8swasm.cli;

import dev.k8swasm.observe.Evaluation;
import dev.k8swasm.observe.EvaluationListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Remembers the module evaluations that failed (trap, timeout, bad output, error set...), which the
 * library otherwise turns into decisions; {@code --fail-on-error} looks at them.
 */
final class FailureRecorder implements EvaluationListener {
  private final List<Evaluation> failures = new CopyOnWriteArrayList<>();

  @Override
  public void onEvaluation(Evaluation evaluation) {
    if (evaluation.failure().isPresent()) {
      failures.add(evaluation);
    }
  }

  /** Forgets what was recorded. */
  void reset() {
    failures.clear();
  }

  /** The failed evaluations since the last reset. */
  List<Evaluation> failures() {
    return List.copyOf(failures);
  }

  /** A description of the failures, e.g. {@code module 'x' failed [TRAP]}. */
  String describe() {
    StringBuilder s = new StringBuilder();
    for (Evaluation e : failures) {
      if (s.length() > 0) {
        s.append("; ");
      }
      s.append("module '").append(e.module()).append("' failed [");
      s.append(e.failure().map(Enum::name).orElse("?")).append(']');
    }
    return s.toString();
  }
}
