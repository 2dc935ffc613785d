package dev.k8swasm.cli;

import static dev.k8swasm.cli.Cli.module;
import static dev.k8swasm.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code --output json|yaml|pretty}, and one shape rule for every module type: the answer has the
 * shape of the request (an AdmissionReview for an AdmissionReview, the AdmissionResponse for a bare
 * AdmissionRequest).
 */
class OutputFormatTest {
  static String example(String relative) {
    return Cli.examples().resolve(relative).toString();
  }

  static Cli.Result ok(Cli.Result r) {
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }

  @Test
  void authorizationNoOpinionIsSaidOutright() {
    Cli.Result r =
        ok(
            run(
                "run",
                module("magic_authorizer.wasm"),
                "-r",
                example("requests/sar-pods.json"),
                "-o",
                "pretty"));

    assertThat(r.out()).startsWith("Decision:  no opinion (neither allowed nor denied");
  }

  @Test
  void authorizationAllowedWithItsReason() {
    Cli.Result r =
        ok(
            run(
                "run",
                module("magic_authorizer.wasm"),
                "-r",
                example("requests/sar-configmaps.json"),
                "--output",
                "pretty"));

    assertThat(r.out())
        .isEqualTo("Decision:  allowed\nReason:    magic-group may access configmaps\n");
  }

  @Test
  void aPatchIsDecodedOneOperationPerLine() {
    Cli.Result r =
        ok(
            run(
                "run",
                module("magic_mutator.wasm"),
                "--mutating",
                "-r",
                example("requests/admission-configmap-create.json"),
                "-o",
                "pretty"));

    assertThat(r.out())
        .isEqualTo(
            "Decision:  allowed\n"
                + "Patch (JSONPatch, 1 operation):\n"
                + "  add /data/magic-value = \"foobar\"\n");
  }

  @Test
  void authenticationInWords() {
    Cli.Result r =
        ok(
            run(
                "run",
                module("magic_authenticator.wasm"),
                "-r",
                example("requests/tokenreview-magic.json"),
                "-o",
                "PRETTY"));

    assertThat(r.out()).startsWith("Decision:  authenticated as magic-user\nUID:       0\n");
    assertThat(
            ok(run(
                    "run",
                    module("magic_authenticator.wasm"),
                    "-r",
                    example("requests/tokenreview-other.json"),
                    "-o",
                    "pretty"))
                .out())
        .startsWith("Decision:  not authenticated");
  }

  @Test
  void kubewardenDenialInWords() {
    Cli.Result r =
        ok(
            run(
                "run",
                module("kubewarden/policy_wapc_start.wasm"),
                "-r",
                example("requests/kubewarden/pod-create-forbidden.json"),
                "--settings-path",
                example("requests/kubewarden/settings-forbid.json"),
                "-o",
                "pretty"));

    assertThat(r.out()).isEqualTo("Decision:  denied\nMessage:   label forbidden is forbidden\n");
  }

  @Test
  void yamlIsTheSameDocumentAsJson() {
    String[] args = {
      "run", module("magic_authenticator.wasm"), "-r", example("requests/tokenreview-magic.json")
    };
    JsonNode json = ok(run(args)).json();
    String yaml = ok(run(concat(args, "-o", "yaml"))).out();

    assertThat(yaml).startsWith("apiVersion: authentication.k8s.io/v1\nkind: TokenReview\n");
    assertThat(Json.readTree(yaml.getBytes(StandardCharsets.UTF_8))).isEqualTo(json);
  }

  @Test
  void theShapeOfTheAnswerFollowsTheRequestForEveryModuleType() {
    // an AdmissionReview in: an AdmissionReview out, for a WASI module and a Kubewarden policy
    JsonNode wasi =
        ok(run(
                "run",
                module("magic_validator.wasm"),
                "-r",
                example("requests/admission-configmap-create.json")))
            .json();
    JsonNode kubewarden =
        ok(run(
                "run",
                module("kubewarden/policy_wapc_start.wasm"),
                "-r",
                example("requests/kubewarden/pod-create.json"),
                "--settings-json",
                "{}"))
            .json();
    for (JsonNode answer : new JsonNode[] {wasi, kubewarden}) {
      assertThat(answer.path("kind").asText()).isEqualTo("AdmissionReview");
      assertThat(answer.path("response").has("allowed")).isTrue();
      assertThat(answer.has("request")).isFalse();
    }
    // a bare AdmissionRequest in: the AdmissionResponse out
    JsonNode bare =
        ok(run(
                "run",
                module("magic_validator.wasm"),
                "-r",
                example("requests/admission-request-configmap.json")))
            .json();
    assertThat(bare.has("kind")).isFalse();
    assertThat(bare.has("allowed")).isTrue();
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"0", "1.5", "true", "null", "~", "yes", "0x1f", "1e3", "- a", "a: b", "", " x"})
  void yamlKeepsStringsThatLookLikeOtherThingsStrings(String text) {
    JsonNode doc =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("v", text);

    String yaml = OutputOption.yaml(doc);

    assertThat(Json.readTree(yaml.getBytes(StandardCharsets.UTF_8))).as(yaml).isEqualTo(doc);
  }

  @Test
  void compactIsOneLineAsKwctlPrintsIt() {
    Cli.Result r =
        ok(
            run(
                "run",
                module("kubewarden/policy_wapc_start.wasm"),
                "-r",
                example("requests/kubewarden/pod-create.json"),
                "--settings-json",
                "{}",
                "-o",
                "compact"));

    assertThat(r.out()).endsWith("\n");
    assertThat(r.out().strip()).doesNotContain("\n").contains("\"allowed\":true");
    assertThat(r.json().path("kind").asText()).isEqualTo("AdmissionReview");
  }

  @Test
  void anUnknownFormatIsAUsageError() {
    Cli.Result r =
        run(
            "run",
            module("magic_authenticator.wasm"),
            "-r",
            example("requests/tokenreview-magic.json"),
            "-o",
            "xml");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("unknown output format 'xml' (use json, compact, yaml or pretty)");
  }

  static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
