package dev.k8swasm.cli;

import static dev.k8swasm.cli.Cli.module;
import static dev.k8swasm.cli.Cli.request;
import static dev.k8swasm.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.admission.JsonPatches;
import dev.k8swasm.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code k8s-wasm run MODULE -r REQUEST}: the "must hold" cases of the magic modules. */
class RunCommandTest {

  static Cli.Result ok(Cli.Result r) {
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.err()).as(r.toString()).isEmpty();
    return r;
  }

  static JsonNode patchOf(JsonNode response) {
    assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
    return Json.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
  }

  @Nested
  class Authentication {
    @Test
    void magicTokenAuthenticatesAsMagicUser() {
      JsonNode review =
          ok(run(
                  "run",
                  module("magic_authenticator.wasm"),
                  "-r",
                  request("tokenreview-magic.json")))
              .json();

      assertThat(review.path("kind").asText()).isEqualTo("TokenReview");
      assertThat(review.path("apiVersion").asText()).isEqualTo("authentication.k8s.io/v1");
      JsonNode status = review.path("status");
      assertThat(status.path("authenticated").asBoolean()).isTrue();
      assertThat(status.path("user").path("username").asText()).isEqualTo("magic-user");
      assertThat(status.path("user").path("uid").isTextual()).isTrue();
      assertThat(status.path("user").path("uid").asText()).isEqualTo("0");
      assertThat(status.path("user").path("groups"))
          .isEqualTo(Json.readTree("[\"magic-group\"]".getBytes()));
      assertThat(status.has("error")).isFalse();
    }

    @Test
    void theAnswerDoesNotCarryTheToken() {
      Cli.Result r =
          ok(
              run(
                  "run",
                  module("magic_authenticator.wasm"),
                  "-r",
                  request("tokenreview-other.yaml")));

      assertThat(r.out()).doesNotContain("some-other-secret-token");
      assertThat(r.json().path("spec").has("token")).isFalse();
    }

    @Test
    void anotherTokenIsNotAuthenticatedWithoutError() {
      JsonNode status =
          ok(run(
                  "run",
                  module("magic_authenticator.wasm"),
                  "-r",
                  request("tokenreview-other.yaml")))
              .json()
              .path("status");

      assertThat(status.path("authenticated").asBoolean()).isFalse();
      assertThat(status.has("user")).isFalse();
      assertThat(status.has("error")).isFalse();
    }

    @Test
    void interpreterEngineGivesTheSameAnswer() {
      JsonNode status =
          ok(run(
                  "run",
                  module("magic_authenticator.wasm"),
                  "--engine",
                  "interpreter",
                  "-r",
                  request("tokenreview-magic.json")))
              .json()
              .path("status");

      assertThat(status.path("user").path("username").asText()).isEqualTo("magic-user");
    }

    @Test
    void requestFromStdin() {
      String yaml =
          "kind: TokenReview\napiVersion: authentication.k8s.io/v1\nspec: {token: magic-token}\n";
      Cli.Result r = Cli.runWithStdin(yaml, "run", module("magic_authenticator.wasm"), "-r", "-");

      assertThat(ok(r).json().path("status").path("authenticated").asBoolean()).isTrue();
    }
  }

  @Nested
  class Authorization {
    @Test
    void magicGroupMayAccessConfigmaps() {
      JsonNode status =
          ok(run("run", module("magic_authorizer.wasm"), "-r", request("sar-configmaps.json")))
              .json()
              .path("status");

      assertThat(status.path("allowed").asBoolean()).isTrue();
      assertThat(status.has("denied")).isFalse();
    }

    @Test
    void podsGetNoOpinion() {
      JsonNode review =
          ok(run("run", module("magic_authorizer.wasm"), "-r", request("sar-pods.yaml"))).json();

      assertThat(review.path("kind").asText()).isEqualTo("SubjectAccessReview");
      JsonNode status = review.path("status");
      assertThat(status.path("allowed").isBoolean()).isTrue();
      assertThat(status.path("allowed").asBoolean()).isFalse();
      assertThat(status.has("denied")).as("NoOpinion is not a denial").isFalse();
      assertThat(status.has("evaluationError")).isFalse();
    }
  }

  @Nested
  class Admission {
    @Test
    void validatorRejectsTheNotAllowedKey() {
      JsonNode review =
          ok(run(
                  "run",
                  module("magic_validator.wasm"),
                  "-r",
                  request("admissionreview-denied.yaml")))
              .json();

      assertThat(review.path("kind").asText()).isEqualTo("AdmissionReview");
      assertThat(review.has("request")).as("answered as a webhook: no request").isFalse();
      JsonNode response = review.path("response");
      assertThat(response.path("uid").asText()).isEqualTo("0df28fbd-5f5f-11e8-bc74-36e6bb280816");
      assertThat(response.path("allowed").asBoolean()).isFalse();
      assertThat(response.path("status").path("message").asText())
          .contains("value 'not-allowed-value' not allowed in configmap");
      assertThat(response.path("status").path("code").asInt()).isEqualTo(403);
    }

    @Test
    void validatorAcceptsOtherConfigMaps() {
      JsonNode response =
          ok(run(
                  "run",
                  module("magic_validator.wasm"),
                  "-r",
                  request("admissionreview-allowed.json")))
              .json()
              .path("response");

      assertThat(response.path("allowed").asBoolean()).isTrue();
      assertThat(response.has("patch")).isFalse();
      assertThat(response.has("status")).isFalse();
    }

    @Test
    void mutatorPatchAddsMagicValue() throws java.io.IOException {
      JsonNode review =
          ok(run(
                  "run",
                  module("magic_mutator.wasm"),
                  "--mutating",
                  "-r",
                  request("admissionreview-allowed.json")))
              .json();

      JsonNode response = review.path("response");
      assertThat(response.path("allowed").asBoolean()).isTrue();
      JsonNode patch = patchOf(response);
      assertThat(patch)
          .isEqualTo(
              Json.readTree(
                  "[{\"op\":\"add\",\"path\":\"/data/magic-value\",\"value\":\"foobar\"}]"
                      .getBytes()));
      JsonNode original =
          Json.readTree(
                  java.nio.file.Files.readAllBytes(
                      java.nio.file.Path.of(request("admissionreview-allowed.json"))))
              .path("request")
              .path("object");
      JsonNode patched = JsonPatches.apply(patch, original);
      assertThat(patched.path("data").path("magic-value").asText()).isEqualTo("foobar");
      assertThat(patched.path("data").path("some-key").asText()).isEqualTo("some-value");
    }

    @Test
    void mutatorCreatesDataWhenMissing() {
      JsonNode response =
          ok(run(
                  "run",
                  module("magic_mutator.wasm"),
                  "--mutating",
                  "-r",
                  request("admissionrequest-bare.json")))
              .json();

      JsonNode object =
          Json.readTree(
              "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"bare-config\",\"namespace\":\"default\"}}"
                  .getBytes());
      JsonNode patched = JsonPatches.apply(patchOf(response), object);
      assertThat(patched.path("data").path("magic-value").asText()).isEqualTo("foobar");
    }

    @Test
    void mutatorWithoutMutatingFlagMayNotPatch() {
      JsonNode response =
          ok(run(
                  "run",
                  module("magic_mutator.wasm"),
                  "-r",
                  request("admissionreview-allowed.json")))
              .json()
              .path("response");

      assertThat(response.path("allowed").asBoolean()).isFalse();
      assertThat(response.path("status").path("code").asInt()).isEqualTo(500);
      assertThat(response.path("status").path("message").asText())
          .contains("validating module may not return a patch")
          .contains("--mutating for k8s-wasm run");
    }

    @Test
    void bareAdmissionRequestPrintsOnlyTheResponse() {
      JsonNode response =
          ok(run(
                  "run",
                  module("magic_validator.wasm"),
                  "-r",
                  request("admissionrequest-bare.json")))
              .json();

      assertThat(response.path("uid").asText()).isEqualTo("1299d386-525b-4032-98ae-1949f69f9cfc");
      assertThat(response.path("allowed").asBoolean()).isTrue();
      assertThat(response.has("request")).isFalse();
      assertThat(response.has("response")).isFalse();
      assertThat(response.has("kind")).isFalse();
      assertThat(response.has("apiVersion")).isFalse();
    }

    @Test
    void nameOptionNamesTheModuleInMessages() {
      JsonNode response =
          ok(run(
                  "run",
                  module("magic_validator.wasm"),
                  "--name",
                  "configmap-guard",
                  "-r",
                  request("admissionreview-denied.yaml")))
              .json()
              .path("response");

      assertThat(response.path("status").path("message").asText())
          .startsWith("module \"configmap-guard\" denied the request");
    }
  }

  @Nested
  class Settings {
    @Test
    void settingsJsonIsAccepted() {
      Cli.Result r =
          run(
              "run",
              module("magic_validator.wasm"),
              "--settings-json",
              "{\"anything\": [1, 2]}",
              "-r",
              request("admissionreview-allowed.json"));

      assertThat(ok(r).json().path("response").path("allowed").asBoolean()).isTrue();
    }

    @Test
    void settingsFileMayBeYaml(@TempDir Path dir) throws Exception {
      Path settings = Files.writeString(dir.resolve("settings.yaml"), "anything:\n- 1\n- 2\n");
      Cli.Result r =
          run(
              "run",
              module("magic_validator.wasm"),
              "--settings-path",
              settings.toString(),
              "-r",
              request("admissionreview-allowed.json"));

      assertThat(ok(r).json().path("response").path("allowed").asBoolean()).isTrue();
    }

    @Test
    void malformedSettingsJsonIsAUsageError() {
      Cli.Result r =
          run(
              "run",
              module("magic_validator.wasm"),
              "--settings-json",
              "{\"unclosed\": ",
              "-r",
              request("admissionreview-allowed.json"));

      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err()).contains("--settings-json");
    }

    @Test
    void settingsJsonAndPathAreExclusive() {
      Cli.Result r =
          run(
              "run",
              module("magic_validator.wasm"),
              "--settings-json",
              "{}",
              "--settings-path",
              "x.json",
              "-r",
              request("admissionreview-allowed.json"));

      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err()).contains("mutually exclusive");
    }

    @Test
    void missingSettingsFileIsAFailure() {
      Cli.Result r =
          run(
              "run",
              module("magic_validator.wasm"),
              "--settings-path",
              "no-such-settings.json",
              "-r",
              request("admissionreview-allowed.json"));

      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.errLines())
          .containsExactly("error: settings file not found: no-such-settings.json");
    }
  }
}
