package dev.k8swasm.cli;

import static dev.k8swasm.cli.Cli.config;
import static dev.k8swasm.cli.Cli.module;
import static dev.k8swasm.cli.Cli.request;
import static dev.k8swasm.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code k8s-wasm run --config FILE -r REQUEST} with the example configurations. */
class ConfigModeTest {

  @Test
  void authenticationChain() {
    Cli.Result r =
        RunCommandTest.ok(
            run(
                "run",
                "--config",
                config("authentication.yaml"),
                "-r",
                request("tokenreview-magic.json")));

    JsonNode status = r.json().path("status");
    assertThat(status.path("authenticated").asBoolean()).isTrue();
    assertThat(status.path("user").path("username").asText()).isEqualTo("magic-user");
    assertThat(status.path("user").path("uid").asText()).isEqualTo("0");
    assertThat(status.path("user").path("groups").get(0).asText()).isEqualTo("magic-group");
  }

  @Test
  void authenticationChainRejectsOtherTokens() {
    Cli.Result r =
        RunCommandTest.ok(
            run(
                "run",
                "-c",
                config("authentication.yaml"),
                "-r",
                request("tokenreview-other.yaml")));

    assertThat(r.json().path("status").path("authenticated").asBoolean()).isFalse();
  }

  @Test
  void authorizationChain() {
    JsonNode allowed =
        RunCommandTest.ok(
                run(
                    "run",
                    "-c",
                    config("authorization.yaml"),
                    "-r",
                    request("sar-configmaps.json")))
            .json()
            .path("status");
    JsonNode noOpinion =
        RunCommandTest.ok(
                run("run", "-c", config("authorization.yaml"), "-r", request("sar-pods.yaml")))
            .json()
            .path("status");

    assertThat(allowed.path("allowed").asBoolean()).isTrue();
    assertThat(noOpinion.path("allowed").asBoolean()).isFalse();
    assertThat(noOpinion.has("denied")).isFalse();
  }

  @Test
  void admissionChainMutatesThenValidates() {
    JsonNode response =
        RunCommandTest.ok(
                run(
                    "run",
                    "-c",
                    config("admission.yaml"),
                    "-r",
                    request("admissionreview-allowed.json")))
            .json()
            .path("response");

    assertThat(response.path("allowed").asBoolean()).isTrue();
    JsonNode patch = RunCommandTest.patchOf(response);
    assertThat(patch.get(0).path("path").asText()).isEqualTo("/data/magic-value");
    assertThat(patch.get(0).path("value").asText()).isEqualTo("foobar");
  }

  @Test
  void admissionChainValidatorDeniesAfterTheMutatorRan() {
    JsonNode response =
        RunCommandTest.ok(
                run(
                    "run",
                    "-c",
                    config("admission.yaml"),
                    "-r",
                    request("admissionreview-denied.yaml")))
            .json()
            .path("response");

    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.path("status").path("message").asText())
        .contains("magic-validator")
        .contains("value 'not-allowed-value' not allowed in configmap");
    assertThat(response.has("patch")).isFalse();
  }

  @Test
  void admissionConfigurationWrapper() {
    Cli.Result r =
        RunCommandTest.ok(
            run(
                "run",
                "-c",
                config("admission-configuration.yaml"),
                "-r",
                request("admissionrequest-bare.json")));

    JsonNode response = r.json();
    assertThat(response.has("request")).isFalse();
    assertThat(response.path("allowed").asBoolean()).isTrue();
    JsonNode patch = Json.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
    assertThat(patch.toString()).contains("magic-value").contains("foobar");
  }

  @Test
  void aConfigWithoutModulesForTheKindIsAFailure() {
    Cli.Result r = run("run", "-c", config("authentication.yaml"), "-r", request("sar-pods.yaml"));

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("error: invalid configuration");
    assertThat(r.err()).contains("magic-authenticator").contains("SubjectAccessReview");
  }

  @Test
  void everyProblemOfAConfigIsPrinted(@TempDir Path dir) throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("bad.yaml"),
            "modules:\n- module: missing-one.wasm\n  timeout: soon\n- name: x\n  surprise: 1\n");

    Cli.Result r = run("run", "-c", file.toString(), "-r", request("tokenreview-magic.json"));

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: invalid configuration (");
    assertThat(r.err()).contains("timeout").contains("no module path specified");
    assertThat(r.err()).doesNotContain("\tat ");
  }

  @Test
  void missingConfigFile() {
    Cli.Result r = run("run", "-c", "no-such-config.yaml", "-r", request("tokenreview-magic.json"));

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).startsWith("error: ").contains("no-such-config.yaml").contains("not found");
  }

  @Test
  void aConfigWithSeveralProblemsReportsThemAllAtOnceWithoutContradiction(@TempDir Path dir)
      throws IOException {
    Path cfg = Files.createDirectories(dir.resolve("cfg")).resolve("c.yaml");
    Files.writeString(cfg, "modules:\n- module: nope.wasm\n  timout: 2s\n");

    Cli.Result r = run("run", "-c", cfg.toString(), "-r", request("tokenreview-magic.json"));

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.err())
        .contains("(2 problems)")
        .contains("unknown field 'timout' (did you mean 'timeout'?)")
        .contains(
            cfg.getParent().resolve("nope.wasm")
                + " file not found ('nope.wasm' is relative, so it was resolved against the"
                + " configuration file's folder "
                + cfg.getParent()
                + ")")
        .doesNotContain("working directory");
  }

  @Test
  void commandLineLimitsOverrideTheConfiguredOnes(@TempDir Path dir) throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("loop.yaml"),
            "modules:\n- name: looper\n  module: "
                + Json.writeString(module("hostile/loop_br.wasm"))
                + "\n  timeout: 60s\n  rules:\n  - operations: ['*']\n    apiGroups: ['*']\n"
                + "    apiVersions: ['*']\n    resources: ['*']\n");

    Cli.Result r =
        run(
            "run",
            "-c",
            file.toString(),
            "--timeout",
            "200ms",
            "-r",
            request("admissionrequest-bare.json"));

    JsonNode response = RunCommandTest.ok(r).json();
    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.path("status").path("code").asInt()).isEqualTo(500);
    assertThat(response.path("status").path("message").asText())
        .contains("looper")
        .contains("200ms")
        .contains("TIMEOUT");
  }

  @Test
  void singleModuleFlagsAreRejectedWithConfig() {
    Cli.Result r =
        run(
            "run",
            "-c",
            config("admission.yaml"),
            "--mutating",
            "--settings-json",
            "{}",
            "-r",
            request("admissionrequest-bare.json"));

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--settings-json, --mutating only apply to a single MODULE");
  }

  static Stream<Path> exampleRequests() throws IOException {
    Path dir = Cli.examples().resolve("requests");
    assumeTrue(Files.isDirectory(dir), "examples/requests not there yet");
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> list =
          files
              .filter(p -> p.toString().endsWith(".json") || p.toString().endsWith(".yaml"))
              .sorted()
              .toList();
      return list.stream();
    }
  }

  /** Every example request evaluates with the example configuration of its kind. */
  @ParameterizedTest
  @MethodSource("exampleRequests")
  void exampleRequestsEvaluate(Path file) throws IOException {
    ReviewRequest review =
        ReviewRequest.of(Json.readTree(Files.readAllBytes(file)), file.toString());
    String configFile =
        switch (review.kind()) {
          case AUTHENTICATION -> "authentication.yaml";
          case AUTHORIZATION -> "authorization.yaml";
          case ADMISSION -> "admission.yaml";
        };

    Cli.Result r = run("run", "-c", config(configFile), "-r", file.toString());

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.json().isObject()).isTrue();
  }
}
