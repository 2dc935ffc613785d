package dev.k8swasm.cli;

import static dev.k8swasm.cli.Cli.module;
import static dev.k8swasm.cli.Cli.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the shaded jar, {@code java -jar cli/target/k8s-wasm.jar}, as a real process. */
class K8sWasmIT {

  record Proc(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("k8swasm.jar", "target/k8s-wasm.jar"));
    assertThat(jar).as("the shaded jar (mvn package)").isRegularFile();
    return jar;
  }

  static Proc exec(String stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("K8S_WASM_DEBUG");
    Process p = pb.start();
    CompletableFuture<byte[]> out =
        CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
    CompletableFuture<byte[]> err =
        CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    try (var in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("k8s-wasm did not finish within 120 s: " + command);
    }
    return new Proc(
        p.exitValue(),
        new String(out.join(), StandardCharsets.UTF_8),
        new String(err.join(), StandardCharsets.UTF_8));
  }

  private static byte[] readAll(java.io.InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void authenticatesWithTheMagicModule() throws Exception {
    Proc p =
        exec(
            null,
            "run",
            module("magic_authenticator.wasm"),
            "-r",
            request("tokenreview-magic.json"));

    assertThat(p.exitCode()).as(p.toString()).isZero();
    assertThat(p.err()).as(p.toString()).isEmpty();
    JsonNode status = Json.readTree(p.out().getBytes(StandardCharsets.UTF_8)).path("status");
    assertThat(status.path("authenticated").asBoolean()).isTrue();
    assertThat(status.path("user").path("username").asText()).isEqualTo("magic-user");
    assertThat(p.out()).startsWith("{\n  \"apiVersion\": \"authentication.k8s.io/v1\",\n");
  }

  @Test
  void admissionFromStdinWithConfig() throws Exception {
    String body = Files.readString(Path.of(request("admissionreview-denied.yaml")));

    Proc p = exec(body, "run", "--config", Cli.config("admission.yaml"), "-r", "-");

    assertThat(p.exitCode()).as(p.toString()).isZero();
    JsonNode response = Json.readTree(p.out().getBytes(StandardCharsets.UTF_8)).path("response");
    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.path("status").path("message").asText())
        .contains("value 'not-allowed-value' not allowed in configmap");
  }

  @Test
  void failureIsOneLineAndExitCode1() throws Exception {
    Proc p = exec(null, "run", "does-not-exist.wasm", "-r", request("tokenreview-magic.json"));

    assertThat(p.exitCode()).as(p.toString()).isEqualTo(1);
    assertThat(p.out()).isEmpty();
    assertThat(p.err())
        .isEqualTo("error: module file not found: does-not-exist.wasm" + System.lineSeparator());
  }

  @Test
  void usageErrorIsShortAndExitCode2() throws Exception {
    Proc p =
        exec(null, "run", module("magic_validator.wasm"), "--max-memory", "huge", "-r", "x.json");

    assertThat(p.exitCode()).as(p.toString()).isEqualTo(2);
    assertThat(p.err().lines().toList())
        .containsExactly(
            "error: Invalid value for option '--max-memory': invalid size 'huge': use a quantity"
                + " such as 64Mi, 512Ki, 1Gi or 1048576",
            "Try 'k8s-wasm run --help' for more information.");
  }

  @Test
  void versionComesFromTheJarManifest() throws Exception {
    Proc p = exec(null, "--version");

    assertThat(p.exitCode()).isZero();
    assertThat(p.out()).startsWith("k8s-wasm ").doesNotStartWith("k8s-wasm dev");
  }

  @Test
  void debugLogsGoToStderr() throws Exception {
    Proc p =
        exec(
            null,
            "run",
            module("magic_authenticator.wasm"),
            "--debug",
            "-r",
            request("tokenreview-magic.json"));

    assertThat(p.exitCode()).as(p.toString()).isZero();
    assertThat(p.err()).contains("DEBUG").contains("TokenReview").doesNotContain("magic-token");
  }

  @Test
  void exemptRequestsAreAllowedWithAWarning(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("vwc.json"),
            "{\"uid\":\"u1\",\"operation\":\"CREATE\",\"resource\":{\"group\":"
                + "\"admissionregistration.k8s.io\",\"version\":\"v1\",\"resource\":"
                + "\"validatingwebhookconfigurations\"},\"object\":{\"kind\":\"x\"}}");

    Proc p = exec(null, "run", module("hostile/trap.wasm"), "-r", file.toString());

    assertThat(p.exitCode()).as(p.toString()).isZero();
    assertThat(Json.readTree(p.out().getBytes(StandardCharsets.UTF_8)).path("allowed").asBoolean())
        .isTrue();
    assertThat(p.err()).contains("WARN").contains("exempt from admission");
  }
}
