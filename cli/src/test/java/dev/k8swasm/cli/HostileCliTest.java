package dev.k8swasm.cli;

import static dev.k8swasm.cli.Cli.module;
import static dev.k8swasm.cli.Cli.request;
import static dev.k8swasm.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 3, "must hold", CLI side: each hostile module run with {@code k8s-wasm run --timeout 300ms}
 * on both engines ends with the right reason in the printed answer and, with {@code
 * --fail-on-error}, in a one-line error and exit code 1; and the process then runs a normal module
 * correctly. The time of each whole run is recorded in the CLI reliability report; the only timed
 * assertion is the hang guard.
 */
@ExtendWith(CliReliabilityReport.Writer.class)
class HostileCliTest {
  static final Duration DEADLINE = Duration.ofMillis(300);
  static final Duration HANG_GUARD = Duration.ofSeconds(20);
  private static final String TABLE = "Hostile modules through k8s-wasm run";

  static {
    CliReliabilityReport.columns(TABLE, "module", "engine", "request", "outcome");
  }

  /** Module, request file, reason, a text the answer must contain. */
  static Stream<Arguments> failing() {
    List<Arguments> modules =
        List.of(
            Arguments.of("loop_br_if", "tokenreview-magic.json", "TIMEOUT", "300ms"),
            Arguments.of("loop_br", "sar-pods.yaml", "TIMEOUT", "300ms"),
            Arguments.of("loop_br_table", "admissionreview-allowed.json", "TIMEOUT", "300ms"),
            Arguments.of("memory_bomb", "tokenreview-magic.json", "MEMORY_LIMIT", "memory limit"),
            Arguments.of("stdout_flood", "sar-pods.yaml", "OUTPUT_LIMIT", "bytes to stdout"),
            Arguments.of(
                "huge_response", "admissionreview-allowed.json", "OUTPUT_LIMIT", "to stdout"),
            Arguments.of("deep_recursion", "tokenreview-magic.json", "TRAP", "call stack"),
            Arguments.of("trap", "sar-pods.yaml", "TRAP", "unreachable"),
            Arguments.of("div_by_zero", "admissionreview-allowed.json", "TRAP", "divide by zero"),
            Arguments.of("exit3", "tokenreview-magic.json", "EXIT_CODE", "code 3"),
            Arguments.of("stderr_then_exit1", "sar-pods.yaml", "EXIT_CODE", "something went wrong"),
            Arguments.of("garbage", "admissionreview-allowed.json", "BAD_OUTPUT", "not json"),
            Arguments.of("no_response", "tokenreview-magic.json", "BAD_OUTPUT", "neither"),
            Arguments.of("error_set", "sar-pods.yaml", "MODULE_ERROR", "bad day"));
    return modules.stream()
        .flatMap(
            a ->
                Stream.of("compiler", "interpreter")
                    .map(e -> Arguments.of(a.get()[0], e, a.get()[1], a.get()[2], a.get()[3])));
  }

  static String[] args(String name, String engine, String request, boolean failOnError) {
    return Stream.concat(
            Stream.of(
                "run",
                module("hostile/" + name + ".wasm"),
                "--engine",
                engine,
                "--timeout",
                "300ms",
                "--max-memory",
                name.equals("memory_bomb") ? "2Mi" : "16Mi",
                "-r",
                request(request)),
            failOnError ? Stream.of("--fail-on-error") : Stream.empty())
        .toArray(String[]::new);
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("failing")
  void endsWithTheRightReasonAndTheProcessStillWorks(
      String name, String engine, String request, String reason, String detail) {
    assertTimeoutPreemptively(
        HANG_GUARD,
        () -> {
          long start = System.nanoTime();
          Cli.Result strict = run(args(name, engine, request, true));
          Duration took = Duration.ofNanos(System.nanoTime() - start);
          CliReliabilityReport.run(name, engine, reason, DEADLINE, took);

          assertThat(strict.exitCode()).as(strict.toString()).isEqualTo(1);
          assertThat(strict.errLines()).as(strict.toString()).hasSize(1);
          assertThat(strict.err())
              .startsWith("error: module evaluation failed: ")
              .contains(name, "[" + reason + "]", "(--fail-on-error)");
          // admission says failed calling module "NAME" (spec 9.7), the others module 'NAME'
          assertThat(failureIn(strict.json(), request))
              .containsAnyOf("'" + name + "'", "\"" + name + "\"")
              .contains("[" + reason + "]", detail);

          // without --fail-on-error the failure is an answer: exit 0, nothing on stderr
          Cli.Result lenient = run(args(name, engine, request, false));
          assertThat(lenient.exitCode()).as(lenient.toString()).isZero();
          assertThat(lenient.err()).as(lenient.toString()).isEmpty();
          assertThat(failureIn(lenient.json(), request)).contains("[" + reason + "]");

          assertThat(Thread.currentThread().isInterrupted()).isFalse();
          assertNormalRunWorks(engine);
        });
    CliReliabilityReport.count(TABLE, name, engine, request, reason);
  }

  /** The failure message in the printed answer: where the decision carries it. */
  static String failureIn(JsonNode answer, String request) {
    if (request.startsWith("tokenreview")) {
      assertThat(answer.path("status").path("authenticated").asBoolean()).isFalse();
      return answer.path("status").path("error").asText();
    }
    if (request.startsWith("sar")) {
      assertThat(answer.path("status").path("allowed").asBoolean()).isFalse();
      return answer.path("status").path("evaluationError").asText();
    }
    JsonNode response = answer.path("response");
    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.path("status").path("code").asInt()).isEqualTo(500);
    return response.path("status").path("message").asText();
  }

  static void assertNormalRunWorks(String engine) {
    Cli.Result normal =
        run(
            "run",
            module("magic_authenticator.wasm"),
            "--engine",
            engine,
            "-r",
            request("tokenreview-magic.json"));
    assertThat(normal.exitCode()).as(normal.toString()).isZero();
    assertThat(normal.json().path("status").path("user").path("username").asText())
        .isEqualTo("magic-user");
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("succeeding")
  void contractBendingModulesAnswerNormally(String name, String engine, String username) {
    assertTimeoutPreemptively(
        HANG_GUARD,
        () -> {
          for (int i = 0; i < 2; i++) {
            long start = System.nanoTime();
            Cli.Result r = run(args(name, engine, "tokenreview-magic.json", true));
            CliReliabilityReport.run(
                name, engine, "answer", DEADLINE, Duration.ofNanos(System.nanoTime() - start));
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.err()).as(r.toString()).isEmpty();
            assertThat(r.json().path("status").path("user").path("username").asText())
                .isEqualTo(username);
          }
        });
    CliReliabilityReport.count(TABLE, name, engine, "tokenreview-magic.json", "answer");
  }

  static Stream<Arguments> succeeding() {
    return Stream.of("compiler", "interpreter")
        .flatMap(
            e ->
                Stream.of(
                    Arguments.of("exit0", e, "exit0-user"),
                    Arguments.of("stateful", e, "previous:none")));
  }
}
