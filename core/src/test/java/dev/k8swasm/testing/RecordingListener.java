package dev.k8swasm.testing;

import dev.k8swasm.observe.Evaluation;
import dev.k8swasm.observe.EvaluationListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** An {@link EvaluationListener} that keeps every evaluation. */
public final class RecordingListener implements EvaluationListener {
  private final List<Evaluation> evaluations = Collections.synchronizedList(new ArrayList<>());

  @Override
  public void onEvaluation(Evaluation evaluation) {
    evaluations.add(evaluation);
  }

  /** The evaluations so far, in order. */
  public List<Evaluation> evaluations() {
    synchronized (evaluations) {
      return List.copyOf(evaluations);
    }
  }
}
