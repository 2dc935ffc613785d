package dev.k8swasm.observe;

import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ReviewKind;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One module evaluation, as reported to {@link EvaluationListener}s.
 *
 * @param module the module's name
 * @param kind what was reviewed
 * @param decision the outcome ({@link #decisionLabel()} is its label in metrics and logs)
 * @param duration how long the evaluation took
 * @param failure why it failed, when {@code decision} is {@code error} or a failure policy decided
 */
public record Evaluation(
    String module,
    ReviewKind kind,
    EvaluationDecision decision,
    Duration duration,
    Optional<FailureReason> failure) {

  public Evaluation {
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(failure, "failure");
  }

  /**
   * The decision's label in metrics and logs: {@code authenticated}, {@code unauthenticated},
   * {@code allow}, {@code deny}, {@code no-opinion} (authorization), {@code allowed}, {@code
   * denied} (admission), {@code error}.
   */
  public String decisionLabel() {
    return decision.label(kind);
  }
}
