package dev.k8swasm.observe;

import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ReviewKind;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One module evaluation, as reported to {@link EvaluationListener}s. Immutable; made with {@link
 * #of}.
 */
public final class Evaluation {
  private final String module;
  private final ReviewKind kind;
  private final EvaluationDecision decision;
  private final Duration duration;
  private final FailureReason failure;

  private Evaluation(
      String module,
      ReviewKind kind,
      EvaluationDecision decision,
      Duration duration,
      FailureReason failure) {
    this.module = Objects.requireNonNull(module, "module");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.decision = Objects.requireNonNull(decision, "decision");
    this.duration = Objects.requireNonNull(duration, "duration");
    this.failure = failure;
  }

  /**
   * An evaluation of {@code module}.
   *
   * @param failure why it failed, when {@code decision} is {@link EvaluationDecision#ERROR} or a
   *     failure policy decided; null otherwise
   */
  public static Evaluation of(
      String module,
      ReviewKind kind,
      EvaluationDecision decision,
      Duration duration,
      FailureReason failure) {
    return new Evaluation(module, kind, decision, duration, failure);
  }

  /** The module's name. */
  public String module() {
    return module;
  }

  /** What was reviewed. */
  public ReviewKind kind() {
    return kind;
  }

  /** The outcome ({@link #decisionLabel()} is its label in metrics and logs). */
  public EvaluationDecision decision() {
    return decision;
  }

  /**
   * The decision's label in metrics and logs: {@code authenticated}, {@code unauthenticated},
   * {@code allow}, {@code deny}, {@code no-opinion} (authorization), {@code allowed}, {@code
   * denied} (admission), {@code error}.
   */
  public String decisionLabel() {
    return decision.label(kind);
  }

  /** How long the evaluation took. */
  public Duration duration() {
    return duration;
  }

  /** Why it failed, when it did or a failure policy decided. */
  public Optional<FailureReason> failure() {
    return Optional.ofNullable(failure);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Evaluation e
        && module.equals(e.module)
        && kind == e.kind
        && decision == e.decision
        && duration.equals(e.duration)
        && failure == e.failure;
  }

  @Override
  public int hashCode() {
    return Objects.hash(module, kind, decision, duration, failure);
  }

  @Override
  public String toString() {
    return "Evaluation[module="
        + module
        + ", kind="
        + kind
        + ", decision="
        + decision
        + ", duration="
        + duration
        + (failure == null ? "" : ", failure=" + failure)
        + "]";
  }
}
