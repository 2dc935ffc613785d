package dev.k8swasm.cli;

import static dev.k8swasm.cli.Cli.module;
import static dev.k8swasm.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code k8s-wasm scaffold admission-request}: a manifest made into the request a policy sees. */
class ScaffoldCommandTest {
  @TempDir Path dir;

  static final String POD =
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: nginx
        namespace: team-a
        labels: {forbidden: "yes"}
      spec:
        containers: [{name: nginx, image: nginx}]
      """;

  Path pod() throws IOException {
    return Files.writeString(dir.resolve("pod.yaml"), POD);
  }

  static JsonNode ok(Cli.Result r) {
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r.json();
  }

  @Test
  void createIsTheRequestKubeApiserverSends() throws IOException {
    JsonNode review =
        ok(run("scaffold", "admission-request", "--operation", "CREATE", pod().toString()));

    assertThat(review.path("kind").asText()).isEqualTo("AdmissionReview");
    assertThat(review.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    JsonNode request = review.path("request");
    assertThat(request.path("uid").asText()).hasSize(36);
    assertThat(request.path("operation").asText()).isEqualTo("CREATE");
    assertThat(request.path("kind").path("kind").asText()).isEqualTo("Pod");
    assertThat(request.path("resource").path("resource").asText()).isEqualTo("pods");
    assertThat(request.path("name").asText()).isEqualTo("nginx");
    assertThat(request.path("namespace").asText()).isEqualTo("team-a");
    assertThat(request.path("userInfo").path("username").asText()).isEqualTo("kubernetes-admin");
    assertThat(request.path("options").path("kind").asText()).isEqualTo("CreateOptions");
    assertThat(request.path("object").path("spec").path("containers").get(0).path("image").asText())
        .isEqualTo("nginx");
    assertThat(request.has("oldObject")).isFalse();
  }

  @Test
  void theScaffoldedRequestIsEvaluatedByAKubewardenPolicy() throws IOException {
    Path review = dir.resolve("review.json");
    Files.writeString(
        review,
        // the command line as main builds it: enum values in any case, as kwctl accepts them
        run(
                K8sWasm.commandLine(),
                "scaffold",
                "admission-request",
                "--operation",
                "create",
                "--object",
                pod().toString())
            .out());

    Cli.Result r =
        run(
            "run",
            module("kubewarden/policy_wapc_start.wasm"),
            "-r",
            review.toString(),
            "--settings-json",
            "{\"forbiddenLabels\":[\"forbidden\"]}",
            "-o",
            "pretty");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("Decision:  denied\nMessage:   label forbidden is forbidden\n");
  }

  @Test
  void updateCarriesBothObjectsAndDeleteTheOldOne() throws IOException {
    Path old = Files.writeString(dir.resolve("old.yaml"), POD.replace("image: nginx", "image: x"));

    JsonNode update =
        ok(run(
                "scaffold",
                "admission-request",
                "--operation",
                "UPDATE",
                pod().toString(),
                "--old-object",
                old.toString(),
                "--uid",
                "u-1"))
            .path("request");
    JsonNode delete =
        ok(run("scaffold", "admission-request", "--operation", "DELETE", pod().toString()))
            .path("request");

    assertThat(update.path("uid").asText()).isEqualTo("u-1");
    assertThat(update.path("options").path("kind").asText()).isEqualTo("UpdateOptions");
    assertThat(
            update.path("oldObject").path("spec").path("containers").get(0).path("image").asText())
        .isEqualTo("x");
    assertThat(delete.has("object")).isFalse();
    assertThat(delete.path("oldObject").path("metadata").path("name").asText()).isEqualTo("nginx");
    assertThat(delete.path("options").path("kind").asText()).isEqualTo("DeleteOptions");
  }

  @Test
  void yamlOutputAndAnotherUser() throws IOException {
    Cli.Result r =
        run(
            "scaffold",
            "admission-request",
            "--operation",
            "CREATE",
            pod().toString(),
            "--user",
            "alice",
            "--group",
            "devs",
            "-o",
            "yaml");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("apiVersion: admission.k8s.io/v1\nkind: AdmissionReview\n");
    JsonNode user =
        Json.readTree(r.out().getBytes(StandardCharsets.UTF_8)).path("request").path("userInfo");
    assertThat(user.path("username").asText()).isEqualTo("alice");
    assertThat(user.path("groups").toString()).isEqualTo("[\"devs\"]");
  }

  @Test
  void mistakesAreUsageErrorsOrOneLineErrors() throws IOException {
    Cli.Result noOld =
        run("scaffold", "admission-request", "--operation", "UPDATE", pod().toString());
    assertThat(noOld.exitCode()).isEqualTo(2);
    assertThat(noOld.err()).contains("--operation UPDATE needs --old-object FILE");

    Path notAnObject = Files.writeString(dir.resolve("x.yaml"), "hello: world\n");
    Cli.Result bad =
        run("scaffold", "admission-request", "--operation", "CREATE", notAnObject.toString());
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err().strip())
        .isEqualTo(
            "error: "
                + notAnObject
                + " is not a Kubernetes object: it needs 'apiVersion' and 'kind' (a manifest"
                + " such as kubectl applies)");

    Cli.Result missing =
        run("scaffold", "admission-request", "--operation", "CREATE", "no-such.yaml");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err().strip()).isEqualTo("error: object file not found: no-such.yaml");
  }
}
