package dev.k8swasm.wasi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.k8swasm.module.Engine;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import dev.k8swasm.wasi.sandbox.Deadline;
import dev.k8swasm.wasi.sandbox.DeadlineTimer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The deadline interrupts only the evaluation it belongs to, and leaves the thread clean. */
class DeadlineTest {
  private static final Duration SLACK = Duration.ofSeconds(30);

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void aFinishedDeadlineNeverInterrupts() {
    Deadline deadline = DeadlineTimer.start(Duration.ofMinutes(1));

    assertThat(deadline.finish()).isFalse();
    deadline.fire(); // a timer that fires late, after the evaluation finished

    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void anExpiredDeadlineInterruptsAndFinishClearsTheInterrupt() {
    Deadline deadline = DeadlineTimer.start(Duration.ofMillis(1));
    long giveUp = System.nanoTime() + SLACK.toNanos();
    while (!Thread.currentThread().isInterrupted() && System.nanoTime() < giveUp) {
      Thread.onSpinWait();
    }
    assertThat(Thread.currentThread().isInterrupted()).as("interrupted by the timer").isTrue();

    assertThat(deadline.finish()).isTrue();
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    deadline.fire();
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void timeoutsTooLongForNanosecondsWork() {
    Limits limits = TestModules.RELAXED.toBuilder().timeout(Duration.ofDays(365L * 1000)).build();
    try (PolicyModule module =
        TestModules.load(TestModules.example("magic_authenticator"), Engine.COMPILER, limits)) {
      assertThat(
              module
                  .evaluate(ReviewKind.AUTHENTICATION, Requests.tokenReview("magic-token"))
                  .path("status")
                  .path("authenticated")
                  .asBoolean())
          .isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theInterruptFlagIsClearedAfterATimeout(Engine engine) {
    Limits limits = TestModules.RELAXED.toBuilder().timeout(Duration.ofMillis(100)).build();
    try (PolicyModule module =
        TestModules.load(TestModules.hostile("loop_br_if"), engine, limits)) {
      // assertTimeoutPreemptively runs this in a thread of its own: check that thread
      assertTimeoutPreemptively(
          SLACK,
          () -> {
            assertThatThrownBy(
                    () -> module.evaluate(ReviewKind.AUTHENTICATION, Requests.tokenReview("t")))
                .isInstanceOfSatisfying(
                    ModuleException.class,
                    e -> assertThat(e.reason()).isEqualTo(FailureReason.TIMEOUT));
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
            Thread.sleep(200); // would throw if an interrupt arrived late
            HostileModulesTest.assertNormalEvaluationWorks(engine);
          });
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void anInterruptedCallerIsRefusedAndKeepsItsInterrupt(Engine engine) {
    PolicyModule module = TestModules.shared(TestModules.example("magic_authenticator"), engine);
    Thread.currentThread().interrupt();

    assertThatThrownBy(
            () -> module.evaluate(ReviewKind.AUTHENTICATION, Requests.tokenReview("magic-token")))
        .isInstanceOfSatisfying(
            ModuleException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.TIMEOUT);
              assertThat(e.getMessage()).contains("calling thread is interrupted");
            });
    assertThat(Thread.interrupted()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aTimeoutDoesNotDisturbOtherThreads(Engine engine) throws Exception {
    Limits limits = TestModules.RELAXED.toBuilder().timeout(Duration.ofMillis(300)).build();
    PolicyModule authenticator =
        TestModules.shared(TestModules.example("magic_authenticator"), engine);
    try (PolicyModule loop = TestModules.load(TestModules.hostile("loop_br"), engine, limits)) {
      Thread looping =
          new Thread(
              () ->
                  assertThatThrownBy(
                          () -> loop.evaluate(ReviewKind.AUTHORIZATION, Requests.tokenReview("t")))
                      .isInstanceOf(ModuleException.class));
      looping.start();
      for (int i = 0; i < 50; i++) {
        assertThat(
                authenticator
                    .evaluate(ReviewKind.AUTHENTICATION, Requests.tokenReview("magic-token"))
                    .path("status")
                    .path("authenticated")
                    .asBoolean())
            .isTrue();
      }
      looping.join(SLACK.toMillis());
      assertThat(looping.isAlive()).isFalse();
    }
  }
}
