package dev.k8swasm.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ReviewKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationListenerTest {
  static final Evaluation EVALUATION =
      Evaluation.of(
          "m", ReviewKind.ADMISSION, EvaluationDecision.ALLOW, Duration.ofMillis(3), null);

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
  void evaluationsNeedEveryPartButAFailure() {
    Duration d = Duration.ZERO;
    EvaluationDecision e = EvaluationDecision.ERROR;
    assertThatThrownBy(() -> Evaluation.of(null, ReviewKind.ADMISSION, e, d, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Evaluation.of("m", null, e, d, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Evaluation.of("m", ReviewKind.ADMISSION, null, d, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Evaluation.of("m", ReviewKind.ADMISSION, e, null, null))
        .isInstanceOf(NullPointerException.class);
    assertThat(Evaluation.of("m", ReviewKind.ADMISSION, e, d, null).failure()).isEmpty();
    Evaluation failed = Evaluation.of("m", ReviewKind.ADMISSION, e, d, FailureReason.TIMEOUT);
    assertThat(failed.failure()).contains(FailureReason.TIMEOUT);
    assertThat(failed)
        .isEqualTo(Evaluation.of("m", ReviewKind.ADMISSION, e, d, FailureReason.TIMEOUT))
        .hasSameHashCodeAs(Evaluation.of("m", ReviewKind.ADMISSION, e, d, FailureReason.TIMEOUT))
        .isNotEqualTo(Evaluation.of("m", ReviewKind.ADMISSION, e, d, null));
    assertThat(failed.toString()).contains("m", "ERROR", "TIMEOUT");
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
