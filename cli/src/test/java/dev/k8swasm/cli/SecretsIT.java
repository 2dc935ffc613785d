package dev.k8swasm.cli;

import static dev.k8swasm.cli.Cli.module;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 3, secrets, in a real process ({@code java -jar k8s-wasm.jar}, where {@code --debug} turns
 * on the debug log): the bearer token of the request is nowhere on stdout or stderr, log lines
 * included.
 */
class SecretsIT {
  private static final String TOKEN = "s3cr3t-it-Qm9vYmFy.ZXhhbXBsZQ_tok";

  @Test
  void debugRunOfAnAuthenticatorLogsNoToken(@TempDir Path dir) throws Exception {
    Path request = CliSecretsTest.tokenReview(dir, TOKEN);

    K8sWasmIT.Proc p =
        K8sWasmIT.exec(
            null, "run", module("magic_authenticator.wasm"), "--debug", "-r", request.toString());

    assertThat(p.exitCode()).as(p.toString()).isZero();
    assertThat(p.err()).as(p.toString()).contains("DEBUG", "TokenReview input", "<redacted>");
    assertThat(p.err()).doesNotContain(TOKEN);
    assertThat(p.out()).doesNotContain(TOKEN);
  }

  /** The module copies its whole input envelope, token included, to stderr and exits 1. */
  @Test
  void debugRunOfAModuleThatEchoesItsInputToStderrLogsNoToken(@TempDir Path dir) throws Exception {
    Path request = CliSecretsTest.tokenReview(dir, TOKEN);

    K8sWasmIT.Proc p =
        K8sWasmIT.exec(
            null,
            "run",
            CliSecretsTest.own("stderr_echo"),
            "--debug",
            "--fail-on-error",
            "-r",
            request.toString());

    assertThat(p.exitCode()).as(p.toString()).isEqualTo(1);
    assertThat(p.err()).as(p.toString()).contains("DEBUG", "stderr", "EXIT_CODE");
    assertThat(p.err()).doesNotContain(TOKEN);
    assertThat(p.out()).doesNotContain(TOKEN);
  }

  /** The module repeats the token bare: on stderr, in its error, in status.error. */
  @ParameterizedTest
  @ValueSource(strings = {"answer", "err", "exit"})
  void debugRunOfAModuleThatRepeatsTheTokenBareLogsNoToken(String path, @TempDir Path dir)
      throws Exception {
    String token = "s3cr3t-" + path + "-Qm9vYmFy.ZXhhbXBsZQ_tok";
    Path request = CliSecretsTest.tokenReview(dir, token);

    K8sWasmIT.Proc p =
        K8sWasmIT.exec(
            null, "run", CliSecretsTest.own("token_leak"), "--debug", "-r", request.toString());

    assertThat(p.err()).as(p.toString()).contains("DEBUG");
    assertThat(p.err()).doesNotContain(token);
    assertThat(p.out()).doesNotContain(token);
  }
}
