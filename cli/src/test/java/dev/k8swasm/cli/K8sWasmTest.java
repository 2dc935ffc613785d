package dev.k8swasm.cli;

import static dev.k8swasm.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The top command: help, version, usage errors, debug detection. */
class K8sWasmTest {

  @Test
  void helpListsTheRunCommand() {
    Cli.Result r = run("--help");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Usage: k8s-wasm").contains("run").contains("Exit codes");
  }

  @Test
  void runHelpDocumentsFailOnErrorAndExitCodes() {
    Cli.Result r = run("run", "--help");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains("--fail-on-error")
        .contains("--settings-json")
        .contains("--settings-path")
        .contains("--timeout")
        .contains("--max-memory")
        .contains("--max-output")
        .contains("--engine")
        .contains("--config")
        .contains("Exit codes");
  }

  @Test
  void helpSubcommand() {
    Cli.Result r = run("help", "run");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Usage: k8s-wasm run");
  }

  @Test
  void versionIsDevOutsideTheJar() {
    Cli.Result r = run("--version");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("k8s-wasm dev");
  }

  @Test
  void noCommandIsAUsageError() {
    Cli.Result r = run();

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("Missing command");
  }

  @Test
  void unknownCommandIsAUsageError() {
    Cli.Result r = run("serve-everything");

    assertThat(r.exitCode()).isEqualTo(2);
  }

  @Test
  void mainCommandLinePrintsShortUsageErrors() {
    Cli.Result r =
        Cli.run(K8sWasm.commandLine(), "run", "m.wasm", "--timeout", "fast", "-r", "x.json");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.errLines())
        .containsExactly(
            "error: Invalid value for option '--timeout': invalid duration 'fast': use a duration"
                + " such as 2s, 500ms, 1m or 1m30s",
            "Try 'k8s-wasm run --help' for more information.");
  }

  @Test
  void mainCommandLineSuggestsMisspelledOptions() {
    Cli.Result r = Cli.run(K8sWasm.commandLine(), "run", "m.wasm", "--timout", "2s", "-r", "x");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: Unknown option").contains("--timeout");
  }

  @Test
  void debugIsDetectedBeforeParsing() {
    assertThat(Logging.debugRequested(new String[] {"run", "--debug"}, Map.of())).isTrue();
    assertThat(Logging.debugRequested(new String[] {"run", "--", "--debug"}, Map.of())).isFalse();
    assertThat(Logging.debugRequested(new String[] {"run"}, Map.of("K8S_WASM_DEBUG", "1")))
        .isTrue();
    assertThat(Logging.debugRequested(new String[] {"run"}, Map.of("K8S_WASM_DEBUG", "0")))
        .isFalse();
    assertThat(Logging.debugRequested(new String[] {"run"}, Map.of())).isFalse();
  }
}
