package dev.k8swasm.cli;

import static dev.k8swasm.cli.Cli.module;
import static dev.k8swasm.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 3, secrets, CLI side: whatever a module does with the bearer token - repeat it bare on
 * stderr and exit 1, put it in its error or its status, echo the whole input envelope to stderr -
 * {@code k8s-wasm run}, with or without {@code --debug} and {@code --fail-on-error}, never prints
 * it, on stdout or stderr. (The debug log of a real process is checked by {@link SecretsIT}.)
 */
@ExtendWith(CliReliabilityReport.Writer.class)
class CliSecretsTest {
  private static final String TABLE = "Secrets through k8s-wasm run";

  static {
    CliReliabilityReport.columns(TABLE, "module", "token path", "flags", "exit code");
  }

  /** A module of this test suite (src/test/resources/modules). */
  static String own(String name) {
    try {
      return Path.of(CliSecretsTest.class.getResource("/modules/" + name + ".wasm").toURI())
          .toString();
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("test module not found: " + name, e);
    }
  }

  static Path tokenReview(Path dir, String token) throws IOException {
    return Files.writeString(
        dir.resolve("tokenreview.json"),
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\","
            + "\"spec\":{\"token\":\""
            + token
            + "\"}}");
  }

  @ParameterizedTest(name = "{0}, token {1}, {2}")
  @CsvSource({
    "token_leak, answer, ''",
    "token_leak, answer, --debug",
    "token_leak, err, --fail-on-error",
    "token_leak, err, --debug --fail-on-error",
    "token_leak, exit, --fail-on-error",
    "token_leak, exit, --debug --fail-on-error",
    "stderr_echo, exit, --fail-on-error",
    "stderr_echo, exit, --debug --fail-on-error",
  })
  void theTokenIsNeverPrinted(String name, String path, String flags, @TempDir Path dir)
      throws IOException {
    String token = "s3cr3t-" + path + "-Qm9vYmFy.ZXhhbXBsZQ_tok";
    List<String> args = new ArrayList<>(List.of("run", own(name)));
    if (!flags.isBlank()) {
      args.addAll(List.of(flags.split(" ")));
    }
    args.addAll(List.of("-r", tokenReview(dir, token).toString()));

    Cli.Result r = run(args.toArray(String[]::new));

    assertThat(r.out()).as(r.toString()).doesNotContain(token);
    assertThat(r.err()).as(r.toString()).doesNotContain(token);
    assertThat(r.json().path("status").path("authenticated").asBoolean()).isFalse();
    assertThat(r.json().path("status").path("error").asText()).contains("<redacted>");
    assertThat(r.exitCode()).isEqualTo(flags.contains("--fail-on-error") ? 1 : 0);
    if (r.exitCode() == 1) {
      assertThat(r.err()).startsWith("error: module evaluation failed: ").contains(name);
    }
    CliReliabilityReport.count(
        TABLE, name, path, flags.isBlank() ? "-" : flags, Integer.toString(r.exitCode()));
  }

  /** A load failure with --debug prints a stack trace: it must not carry the token either. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"hostile/truncated.wasm", "hostile/bad_import.wasm", "magic_validator.wasm"})
  void errorsAndStackTracesHaveNoToken(String file, @TempDir Path dir) throws IOException {
    String token = "s3cr3t-load-Qm9vYmFy.ZXhhbXBsZQ_tok";

    Cli.Result r = run("run", module(file), "--debug", "-r", tokenReview(dir, token).toString());

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: ").doesNotContain(token);
    assertThat(r.out()).doesNotContain(token);
    CliReliabilityReport.count(TABLE, file, "load or kind error", "--debug", "1");
  }
}
