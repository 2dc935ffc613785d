package dev.k8swasm.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ReviewKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EvaluationListenerTest {
  static final Evaluation EVALUATION =
      new Evaluation(
          "m",
          ReviewKind.ADMISSION,
          EvaluationDecision.ALLOW,
          Duration.ofMillis(3),
          Optional.empty());

  @Test
  void notifyPassesTheEvaluationOn() {
    List<Evaluation> seen = new ArrayList<>();

    EvaluationListener.notify(seen::add, EVALUATION);

    assertThat(seen).containsExactly(EVALUATION);
  }

  @Test
  void notifySwallowsListenerFailures() {
    assertThatCode(
            () ->
                EvaluationListener.notify(
                    e -> {
                      throw new IllegalStateException("broken listener");
                    },
                    EVALUATION))
        .doesNotThrowAnyException();
    assertThatCode(() -> EvaluationListener.notify(EvaluationListener.NONE, EVALUATION))
        .doesNotThrowAnyException();
  }

  @Test
  void evaluationsNeedEveryPart() {
    Duration d = Duration.ZERO;
    Optional<FailureReason> none = Optional.empty();
    assertThatThrownBy(
            () -> new Evaluation(null, ReviewKind.ADMISSION, EvaluationDecision.ERROR, d, none))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Evaluation("m", null, EvaluationDecision.ERROR, d, none))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Evaluation("m", ReviewKind.ADMISSION, null, d, none))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(
            () -> new Evaluation("m", ReviewKind.ADMISSION, EvaluationDecision.ERROR, null, none))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(
            () -> new Evaluation("m", ReviewKind.ADMISSION, EvaluationDecision.ERROR, d, null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void labelsAreThoseOfTheMetricsForEachKind() {
    assertThat(EVALUATION.decisionLabel()).isEqualTo("allowed");
    assertThat(EvaluationDecision.DENY.label(ReviewKind.ADMISSION)).isEqualTo("denied");
    assertThat(EvaluationDecision.ALLOW.label(ReviewKind.AUTHORIZATION)).isEqualTo("allow");
    assertThat(EvaluationDecision.DENY.label(ReviewKind.AUTHORIZATION)).isEqualTo("deny");
    assertThat(EvaluationDecision.NO_OPINION.label(ReviewKind.AUTHORIZATION))
        .isEqualTo("no-opinion");
    assertThat(EvaluationDecision.AUTHENTICATED.label(ReviewKind.AUTHENTICATION))
        .isEqualTo("authenticated");
    assertThat(EvaluationDecision.UNAUTHENTICATED.label(ReviewKind.AUTHENTICATION))
        .isEqualTo("unauthenticated");
    assertThat(EvaluationDecision.ERROR.label(ReviewKind.ADMISSION)).isEqualTo("error");
  }
}
