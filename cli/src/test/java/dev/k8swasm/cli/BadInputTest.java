package dev.k8swasm.cli;

import static dev.k8swasm.cli.Cli.module;
import static dev.k8swasm.cli.Cli.request;
import static dev.k8swasm.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input gets a clear one-line error and the right exit code; never a stack trace. */
class BadInputTest {

  /** Exit 1, nothing on stdout, exactly one line {@code error: ...} on stderr. */
  static String failure(Cli.Result r) {
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).as(r.toString()).isEmpty();
    assertThat(r.errLines()).as(r.toString()).hasSize(1);
    assertThat(r.err()).startsWith("error: ");
    return r.err().strip();
  }

  @Nested
  class Modules {
    @Test
    void missingModuleFile() {
      String err =
          failure(run("run", "no/such/module.wasm", "-r", request("tokenreview-magic.json")));

      assertThat(err).isEqualTo("error: module file not found: no/such/module.wasm");
    }

    @Test
    void notAWasmModule() {
      String err =
          failure(
              run("run", module("hostile/not_wasm.wasm"), "-r", request("tokenreview-magic.json")));

      assertThat(err).startsWith("error: not a WebAssembly module: ").contains("not_wasm.wasm");
    }

    @Test
    void truncatedModule() {
      String err =
          failure(
              run(
                  "run",
                  module("hostile/truncated.wasm"),
                  "-r",
                  request("tokenreview-magic.json")));

      assertThat(err).contains("module 'truncated'").contains("LOAD_FAILED");
    }

    @Test
    void unknownImport() {
      String err =
          failure(run("run", module("hostile/bad_import.wasm"), "-r", request("sar-pods.yaml")));

      assertThat(err).contains("env.host_secret").contains("LOAD_FAILED");
    }

    @Test
    void missingExportForTheRequestKind() {
      String err =
          failure(
              run("run", module("magic_validator.wasm"), "-r", request("tokenreview-magic.json")));

      assertThat(err)
          .isEqualTo(
              "error: module 'magic_validator' cannot evaluate TokenReviews (a wasi module must"
                  + " export 'authn'); it evaluates AdmissionReviews");
    }

    @Test
    void unknownModuleTypeIsAUsageError() {
      Cli.Result r =
          run(
              "run",
              module("magic_validator.wasm"),
              "--type",
              "docker",
              "-r",
              request("sar-pods.yaml"));

      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err()).contains("--type").contains("use wasi, kubewarden or rego");
    }

    @Test
    void typeWithoutRuntimeSaysWhatToAdd() {
      org.junit.jupiter.api.Assumptions.assumeFalse(
          ModuleRuntimes.types().contains(ModuleType.KUBEWARDEN),
          "the kubewarden runtime is available");

      String err =
          failure(
              run(
                  "run",
                  module("magic_validator.wasm"),
                  "--type",
                  "kubewarden",
                  "-r",
                  request("admissionrequest-bare.json")));

      assertThat(err).contains("no runtime for module type 'kubewarden'");
    }
  }

  /** Module failures during evaluation are answers (exit 0) unless --fail-on-error. */
  @Nested
  class EvaluationFailures {
    @Test
    void garbageOutputIsAnErrorInTheStatus() {
      Cli.Result r =
          run("run", module("hostile/garbage.wasm"), "-r", request("tokenreview-magic.json"));

      JsonNode status = RunCommandTest.ok(r).json().path("status");
      assertThat(status.path("authenticated").asBoolean()).isFalse();
      assertThat(status.path("error").asText()).contains("garbage").contains("BAD_OUTPUT");
    }

    @Test
    void garbageOutputWithFailOnError() {
      Cli.Result r =
          run(
              "run",
              module("hostile/garbage.wasm"),
              "--fail-on-error",
              "-r",
              request("tokenreview-magic.json"));

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.json().path("status").path("error").asText()).contains("BAD_OUTPUT");
      assertThat(r.errLines()).hasSize(1);
      assertThat(r.err())
          .startsWith("error: module evaluation failed: ")
          .contains("garbage")
          .contains("BAD_OUTPUT");
    }

    @Test
    void errorSetByTheModule() {
      Cli.Result r = run("run", module("hostile/error_set.wasm"), "-r", request("sar-pods.yaml"));

      JsonNode status = RunCommandTest.ok(r).json().path("status");
      assertThat(status.path("allowed").asBoolean()).isFalse();
      assertThat(status.has("denied")).isFalse();
      assertThat(status.path("evaluationError").asText()).contains("module refused: bad day");

      Cli.Result strict =
          run(
              "run",
              module("hostile/error_set.wasm"),
              "--fail-on-error",
              "-r",
              request("sar-pods.yaml"));
      assertThat(strict.exitCode()).isEqualTo(1);
      assertThat(strict.err()).contains("module refused: bad day");
    }

    @Test
    void trapDeniesWithCode500() {
      Cli.Result r =
          run("run", module("hostile/trap.wasm"), "-r", request("admissionreview-allowed.json"));

      JsonNode response = RunCommandTest.ok(r).json().path("response");
      assertThat(response.path("allowed").asBoolean()).isFalse();
      assertThat(response.path("status").path("code").asInt()).isEqualTo(500);
      assertThat(response.path("status").path("message").asText())
          .contains("\"trap\"")
          .contains("TRAP");
    }

    @Test
    void nonZeroExit() {
      Cli.Result r =
          run("run", module("hostile/exit3.wasm"), "-r", request("admissionrequest-bare.json"));

      JsonNode response = RunCommandTest.ok(r).json();
      assertThat(response.path("allowed").asBoolean()).isFalse();
      assertThat(response.path("status").path("message").asText())
          .contains("code 3")
          .contains("EXIT_CODE");

      Cli.Result strict =
          run(
              "run",
              module("hostile/exit3.wasm"),
              "--fail-on-error",
              "-r",
              request("admissionrequest-bare.json"));
      assertThat(strict.exitCode()).isEqualTo(1);
      assertThat(strict.err()).startsWith("error: ").contains("EXIT_CODE");
    }

    @Test
    void timeoutFromTheCommandLine() {
      Cli.Result r =
          run(
              "run",
              module("hostile/loop_br_if.wasm"),
              "--timeout",
              "150ms",
              "-r",
              request("sar-pods.yaml"));

      JsonNode status = RunCommandTest.ok(r).json().path("status");
      assertThat(status.path("evaluationError").asText()).contains("150ms").contains("TIMEOUT");
    }

    @Test
    void successfulEvaluationIsNotAFailure() {
      Cli.Result r =
          run(
              "run",
              module("magic_authenticator.wasm"),
              "--fail-on-error",
              "-r",
              request("tokenreview-other.yaml"));

      assertThat(RunCommandTest.ok(r).json().path("status").path("authenticated").asBoolean())
          .isFalse();
    }
  }

  @Nested
  class Requests {
    @Test
    void unknownKind() {
      String err = failure(run("run", module("magic_validator.wasm"), "-r", request("pod.json")));

      assertThat(err)
          .startsWith("error: unknown request kind 'Pod'")
          .endsWith(
              "(expected TokenReview, SubjectAccessReview, AdmissionReview or an AdmissionRequest)");
    }

    @Test
    void missingRequestFile() {
      String err =
          failure(run("run", module("magic_validator.wasm"), "-r", "no-such-request.json"));

      assertThat(err).isEqualTo("error: request file not found: no-such-request.json");
    }

    @Test
    void unparseableRequest() {
      String err =
          failure(run("run", module("magic_authenticator.wasm"), "-r", request("truncated.json")));

      assertThat(err).startsWith("error: cannot parse request ").contains("not valid JSON");
    }

    @Test
    void unparseableYamlIsStillOneLine(@TempDir Path dir) throws IOException {
      Path file =
          Files.writeString(
              dir.resolve("bad.yaml"), "kind: TokenReview\nspec:\n  token: [unclosed\n");

      String err = failure(run("run", module("magic_authenticator.wasm"), "-r", file.toString()));

      assertThat(err).startsWith("error: cannot parse request ").contains("not valid YAML");
    }

    @Test
    void admissionReviewWithoutRequest(@TempDir Path dir) throws IOException {
      Path file =
          Files.writeString(
              dir.resolve("empty.json"),
              "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}");

      String err = failure(run("run", module("magic_validator.wasm"), "-r", file.toString()));

      assertThat(err).contains("has no 'request'");
    }
  }

  @Nested
  class Usage {
    @ParameterizedTest
    @ValueSource(strings = {"--timeout", "--max-memory", "--max-output"})
    void malformedQuantityNamesTheFlag(String flag) {
      Cli.Result r =
          run("run", module("magic_validator.wasm"), flag, "lots", "-r", request("sar-pods.yaml"));

      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.out()).isEmpty();
      assertThat(r.err()).contains("'" + flag + "'").contains("'lots'");
      assertThat(r.err()).containsAnyOf("2s, 500ms", "64Mi, 512Ki");
    }

    @Test
    void zeroTimeoutIsAUsageError() {
      Cli.Result r =
          run(
              "run",
              module("magic_validator.wasm"),
              "--timeout",
              "0s",
              "-r",
              request("sar-pods.yaml"));

      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err()).contains("--timeout").contains("more than zero");
    }

    @Test
    void unknownEngine() {
      Cli.Result r =
          run(
              "run",
              module("magic_validator.wasm"),
              "--engine",
              "jit",
              "-r",
              request("sar-pods.yaml"));

      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err()).contains("--engine").contains("compiler or interpreter");
    }

    @Test
    void neitherModuleNorConfig() {
      Cli.Result r = run("run", "-r", request("sar-pods.yaml"));

      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err()).contains("Missing MODULE or --config FILE");
    }

    @Test
    void bothModuleAndConfig() {
      Cli.Result r =
          run(
              "run",
              module("magic_validator.wasm"),
              "--config",
              Cli.config("admission.yaml"),
              "-r",
              request("sar-pods.yaml"));

      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err()).contains("either MODULE or --config FILE, not both");
    }

    @Test
    void missingRequestOption() {
      Cli.Result r = run("run", module("magic_validator.wasm"));

      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err()).contains("--request");
    }
  }

  @Nested
  class Secrets {
    static final String TOKEN = "s3cr3t-bearer-token-value";

    @Test
    void tokenIsNotPrintedInErrorsEvenWithDebug(@TempDir Path dir) throws IOException {
      Path file =
          Files.writeString(
              dir.resolve("tr.json"),
              "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\","
                  + "\"spec\":{\"token\":\""
                  + TOKEN
                  + "\"}}");

      Cli.Result r = run("run", module("magic_validator.wasm"), "--debug", "-r", file.toString());

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).startsWith("error: ").doesNotContain(TOKEN);
    }

    @Test
    void errorsRedactTheRequestToken() {
      java.io.StringWriter out = new java.io.StringWriter();
      Errors errors = new Errors(new java.io.PrintWriter(out), false);
      errors.addSecret(TOKEN);

      int code = errors.report("module said: " + TOKEN + " is bad; Bearer abc.def", null, true);

      assertThat(code).isEqualTo(1);
      assertThat(out.toString())
          .doesNotContain(TOKEN)
          .doesNotContain("abc.def")
          .contains("<redacted>");
    }

    @Test
    void stackTraceOnlyWithDebug() {
      Cli.Result quiet = run("run", "missing.wasm", "-r", request("sar-pods.yaml"));
      Cli.Result debug = run("run", "missing.wasm", "--debug", "-r", request("sar-pods.yaml"));

      assertThat(quiet.err()).doesNotContain("\tat ");
      assertThat(debug.exitCode()).isEqualTo(1);
      assertThat(debug.err())
          .startsWith("error: module file not found: missing.wasm")
          .contains("\tat ");
    }
  }
}
