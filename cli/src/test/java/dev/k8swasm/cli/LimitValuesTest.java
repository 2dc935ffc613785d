package dev.k8swasm.cli;

import static dev.k8swasm.cli.Cli.module;
import static dev.k8swasm.cli.Cli.request;
import static dev.k8swasm.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.k8swasm.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 3, CLI limits: a malformed {@code --timeout}, {@code --max-memory} or {@code --max-output}
 * is a usage error (exit 2) naming the flag and the value, before anything is loaded; a malformed
 * {@code timeout}, {@code maxMemory} or {@code maxOutput} in a configuration file is an error (exit
 * 1) naming the file, the module and the field.
 */
class LimitValuesTest {

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--timeout    | 2x    | invalid duration '2x': use a duration such as 2s, 500ms",
        "--timeout    | 0ms   | must be more than zero",
        "--timeout    | -5s   | invalid duration '-5s'",
        "--timeout    | 1.5.2s| invalid duration '1.5.2s'",
        "--max-memory | 12Qi  | invalid size '12Qi': use a quantity such as 64Mi",
        "--max-memory | 0     | must be more than zero",
        "--max-memory | 64MB  | invalid size '64MB'",
        "--max-output | -1    | invalid size '-1'",
        "--max-output | 0Ki   | must be more than zero",
        "--max-output | 1 Mi  | invalid size '1 Mi'",
      })
  void malformedFlagIsAUsageErrorNamingTheFlag(String flag, String value, String message) {
    // as main runs it: a usage error is the problem and a hint, not the whole usage text
    Cli.Result r =
        Cli.run(
            K8sWasm.commandLine(),
            "run",
            module("magic_authenticator.wasm"),
            flag + "=" + value,
            "-r",
            request("tokenreview-magic.json"));

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines())
        .containsExactly(r.errLines().get(0), "Try 'k8s-wasm run --help' for more information.");
    assertThat(r.err())
        .startsWith("error: Invalid value for option '" + flag + "': ")
        .contains(message)
        .doesNotContain("\tat ");
  }

  /** A value starting with '-' given as a separate argument is still read as the value. */
  @Test
  void negativeValueAsSeparateArgument() {
    Cli.Result r =
        Cli.run(
            K8sWasm.commandLine(),
            "run",
            module("magic_authenticator.wasm"),
            "--max-output",
            "-1",
            "-r",
            request("tokenreview-magic.json"));

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: ").contains("--max-output").contains("-1");
  }

  @Test
  void badLimitsInAConfigurationNameFileModuleAndField(@TempDir Path dir) throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("limits.yaml"),
            "modules:\n- name: guarded\n  module: "
                + Json.writeString(module("magic_authenticator.wasm"))
                + "\n  timeout: 2x\n  maxMemory: 12Qi\n  maxOutput: -1\n");

    Cli.Result r = run("run", "-c", file.toString(), "-r", request("tokenreview-magic.json"));

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("error: invalid configuration (3 problems):");
    String at = file + ": modules[0] (guarded): field '";
    assertThat(r.err())
        .contains(at + "timeout': invalid duration '2x'")
        .contains(at + "maxMemory': invalid size '12Qi'")
        .contains(at + "maxOutput': invalid size '-1'")
        .doesNotContain("\tat ");
  }

  @Test
  void zeroLimitsInAConfigurationNameTheField(@TempDir Path dir) throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("zero.yaml"),
            "modules:\n- name: zero\n  module: "
                + Json.writeString(module("magic_authenticator.wasm"))
                + "\n  timeout: 0s\n  maxOutput: 0\n");

    Cli.Result r = run("run", "-c", file.toString(), "-r", request("tokenreview-magic.json"));

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.err())
        .contains("(zero): field 'timeout': invalid duration '0s': must be more than zero")
        .contains("(zero): field 'maxOutput': invalid size '0': must be more than zero");
  }
}
