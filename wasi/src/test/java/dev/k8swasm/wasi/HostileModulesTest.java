package dev.k8swasm.wasi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Modules that misbehave fail with the right reason, every time, and leave the host able to
 * evaluate normally afterwards: the failed instance is gone and the thread is clean.
 */
class HostileModulesTest {
  private static final Duration SHORT_TIMEOUT = Duration.ofMillis(200);

  /** Deadline plus generous slack for slow, busy machines; not a performance assertion. */
  private static final Duration SLACK = Duration.ofSeconds(20);

  @AfterEach
  void threadIsClean() {
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  static Stream<Arguments> failures() {
    return Stream.of(
            Arguments.of("trap", FailureReason.TRAP, "unreachable"),
            Arguments.of("div_by_zero", FailureReason.TRAP, "divide by zero"),
            Arguments.of("deep_recursion", FailureReason.TRAP, "call stack exhausted"),
            Arguments.of("exit3", FailureReason.EXIT_CODE, "exited with code 3"),
            Arguments.of(
                "stderr_then_exit1", FailureReason.EXIT_CODE, "something went wrong on stderr"),
            Arguments.of("error_set", FailureReason.MODULE_ERROR, "module refused: bad day"),
            Arguments.of("garbage", FailureReason.BAD_OUTPUT, "this is not json{"),
            Arguments.of("no_response", FailureReason.BAD_OUTPUT, "neither a response"),
            Arguments.of("stdout_flood", FailureReason.OUTPUT_LIMIT, "stdout"),
            Arguments.of("huge_response", FailureReason.OUTPUT_LIMIT, "1048576 bytes to stdout"),
            Arguments.of("memory_bomb", FailureReason.MEMORY_LIMIT, "memory limit 64Mi reached"))
        .flatMap(
            a ->
                Stream.of(Engine.values())
                    .map(engine -> Arguments.of(a.get()[0], a.get()[1], a.get()[2], engine)));
  }

  @ParameterizedTest(name = "{0} on {3} -> {1}")
  @MethodSource("failures")
  void failsWithTheRightReasonEveryTime(
      String name, FailureReason reason, String detail, Engine engine) {
    PolicyModule module = TestModules.shared(TestModules.hostile(name), engine);

    for (ReviewKind kind : ReviewKind.values()) {
      assertFailure(module, kind, reason, e -> assertThat(e.getMessage()).contains(detail, name));
    }
    assertNormalEvaluationWorks(engine);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void exitZeroAfterWritingIsSuccess(Engine engine) {
    PolicyModule module = TestModules.shared(TestModules.hostile("exit0"), engine);

    for (int i = 0; i < 2; i++) {
      JsonNode review = module.evaluate(ReviewKind.AUTHENTICATION, Requests.tokenReview("t"));
      assertThat(review.path("status").path("user").path("username").asText())
          .isEqualTo("exit0-user");
    }
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("loops")
  void endlessLoopsTimeOut(String name, Engine engine) {
    Limits limits = TestModules.RELAXED.toBuilder().timeout(SHORT_TIMEOUT).build();
    try (PolicyModule module = TestModules.load(TestModules.hostile(name), engine, limits)) {
      assertTimeoutPreemptively(
          SHORT_TIMEOUT.plus(SLACK),
          () -> {
            for (int i = 0; i < 2; i++) {
              assertFailure(
                  module,
                  ReviewKind.AUTHORIZATION,
                  FailureReason.TIMEOUT,
                  e -> assertThat(e.getMessage()).contains("200ms", name));
              assertThat(Thread.currentThread().isInterrupted()).isFalse();
            }
          });
    }
    assertNormalEvaluationWorks(engine);
  }

  static Stream<Arguments> loops() {
    return Stream.of("loop_br", "loop_br_if", "loop_br_table")
        .flatMap(name -> Stream.of(Engine.values()).map(engine -> Arguments.of(name, engine)));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void memoryBombStopsAtTheMemoryLimit(Engine engine) {
    Limits limits = TestModules.RELAXED.toBuilder().maxMemoryBytes(2L << 20).build();
    try (PolicyModule module =
        TestModules.load(TestModules.hostile("memory_bomb"), engine, limits)) {
      // growing fails at 32 pages; the module then traps on purpose
      assertFailure(
          module,
          ReviewKind.ADMISSION,
          FailureReason.MEMORY_LIMIT,
          e -> assertThat(e.getMessage()).contains("memory limit 2Mi reached", "unreachable"));
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void largeOutputWithinTheLimitIsRead(Engine engine) {
    Limits limits = TestModules.RELAXED.toBuilder().maxOutputBytes(16L << 20).build();
    try (PolicyModule module =
        TestModules.load(TestModules.hostile("huge_response"), engine, limits)) {
      JsonNode response = module.evaluate(ReviewKind.AUTHENTICATION, Requests.tokenReview("t"));
      assertThat(response.path("padding").asText()).hasSize(8 << 20);
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void readsIntoBuffersOutsideMemoryAreRefused(Engine engine) {
    JsonNode response =
        TestModules.shared(TestModules.own("huge_read"), engine)
            .evaluate(ReviewKind.AUTHENTICATION, Requests.tokenReview("t"));

    assertThat(response.path("refused").asBoolean()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void unsupportedWasiCallsReturnErrorCodes(Engine engine) {
    JsonNode response =
        TestModules.shared(TestModules.own("unsupported_calls"), engine)
            .evaluate(ReviewKind.AUTHENTICATION, Requests.tokenReview("t"));

    assertThat(response.path("results").asText()).isEqualTo("TTTT");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void callDepthIsLimited(Engine engine) {
    Limits limits = TestModules.RELAXED.toBuilder().maxCallDepth(100).build();
    try (PolicyModule module =
        TestModules.load(TestModules.hostile("deep_recursion"), engine, limits)) {
      assertFailure(
          module,
          ReviewKind.AUTHENTICATION,
          FailureReason.TRAP,
          e -> {
            assertThat(e.getMessage()).contains("call stack exhausted");
            if (engine == Engine.INTERPRETER) {
              assertThat(e.getMessage()).contains("100 nested calls", "maxCallDepth");
            }
          });
    }
  }

  static void assertFailure(
      PolicyModule module, ReviewKind kind, FailureReason reason, Consumer<ModuleException> more) {
    byte[] request =
        switch (kind) {
          case AUTHENTICATION -> Requests.tokenReview("t");
          case AUTHORIZATION -> Requests.subjectAccessReview("g", "pods");
          case ADMISSION -> Requests.admissionReview("u", "{}");
        };
    assertThatThrownBy(() -> module.evaluate(kind, request))
        .isInstanceOfSatisfying(
            ModuleException.class,
            e -> {
              assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
              assertThat(e.moduleName()).isEqualTo(module.name());
              more.accept(e);
            });
  }

  static void assertNormalEvaluationWorks(Engine engine) {
    JsonNode review =
        TestModules.shared(TestModules.example("magic_authenticator"), engine)
            .evaluate(ReviewKind.AUTHENTICATION, Requests.tokenReview("magic-token"));
    assertThat(review.path("status").path("authenticated").asBoolean()).isTrue();
  }
}
