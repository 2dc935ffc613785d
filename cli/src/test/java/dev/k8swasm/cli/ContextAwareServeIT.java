package dev.k8swasm.cli;

import static dev.k8swasm.server.Fixture.module;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.cluster.MockApiServer;
import dev.k8swasm.json.Json;
import dev.k8swasm.server.Fixture;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must hold: {@code java -jar k8s-wasm.jar serve --policies policies.yml --kubeconfig FILE} (a
 * process, as users start it) answers the context-aware test policy unique_ingress.wasm from
 * fabric8's mock API server in CRUD mode on policy-server's {@code /validate/ID}: the same answers
 * as {@code run --allow-context-aware} ({@link ContextAwareCliTest}), a new Ingress reaches the
 * next request through the watch, and a policy without {@code contextAwareResources} in
 * policies.yml gets no access although its metadata asks for it (policy-server's grant).
 */
class ContextAwareServeIT {
  static String review(String requestFile) throws Exception {
    Path file = Cli.examples().resolve("requests/kubewarden").resolve(requestFile);
    JsonNode doc = Json.reader().readTree(Files.readAllBytes(file));
    if (doc.has("request")) {
      return Json.writeString(doc);
    }
    return "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":"
        + Json.writeString(doc)
        + "}";
  }

  /** uid, allowed and status.message of an AdmissionReview response, as kwctl prints them. */
  static String answer(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode response = Json.readTree(r.body().getBytes(StandardCharsets.UTF_8)).path("response");
    StringBuilder s =
        new StringBuilder("{\"uid\":\"")
            .append(response.path("uid").asText())
            .append("\",\"allowed\":")
            .append(response.path("allowed").asBoolean());
    if (response.path("status").has("message")) {
      s.append(",\"status\":{\"message\":")
          .append(Json.writeString(response.path("status").path("message")))
          .append("}");
    }
    return s.append("}").toString();
  }

  @Test
  void servesTheClusterOfTheKubeconfig(@TempDir Path dir) throws Exception {
    Path policy = module("kubewarden/unique_ingress.wasm");
    Path policies =
        Fixture.write(
            dir.resolve("policies.yml"),
            "unique-ingress:\n"
                + "  module: "
                + policy
                + "\n"
                + "  contextAwareResources:\n"
                + "  - {apiVersion: networking.k8s.io/v1, kind: Ingress}\n"
                + "not-granted:\n"
                + "  module: "
                + policy
                + "\n");
    try (MockApiServer api = new MockApiServer();
        KubernetesClient admin = api.adminClient()) {
      MockApiServer.createIngress(admin, "default", "test", "foo.bar.com");
      MockApiServer.createIngress(admin, "shop", "web", "shop.example.com");
      MockApiServer.createIngress(admin, "blog", "web", "blog.example.com");
      Path kubeconfig = api.writeKubeconfig(dir.resolve("kubeconfig"), "mock");
      try (ServeProcess serve =
          ServeProcess.start(
              dir,
              List.of(
                  "--policies",
                  policies.toString(),
                  "--kubeconfig",
                  kubeconfig.toString(),
                  "--metrics-port",
                  "0"),
              Map.of())) {
        // ready once the Ingress cache has synced
        serve.awaitReady();
        java.util.function.BiFunction<String, String, String> validate =
            (id, file) -> {
              try {
                return answer(serve.post("/validate/" + id, review(file)));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            };
        // the same answers as run --allow-context-aware
        for (String[] c : ContextAwareCliTest.CASES) {
          assertThat(validate.apply("unique-ingress", c[0])).as(c[0]).isEqualTo(c[1]);
        }
        // a new Ingress with shop.example.com reaches the next request through the watch
        MockApiServer.createIngress(admin, "shop-next", "storefront", "shop.example.com");
        String taken =
            "{\"uid\":\"3b1c6f0e-2d4a-4e8b-9f1c-7a5d3e2b1c0f\",\"allowed\":false,\"status\":"
                + "{\"message\":\"host shop.example.com is already used by Ingress"
                + " shop-next/storefront\"}}";
        String seen = null;
        for (int i = 0; i < 150 && !taken.equals(seen); i++) {
          Thread.sleep(200);
          seen = validate.apply("unique-ingress", "ingress-create.json");
        }
        assertThat(seen).as("the new Ingress seen within 30 s").isEqualTo(taken);
        // the policy's metadata asks for Ingresses, policies.yml grants none: no access
        assertThat(validate.apply("not-granted", "ingress-create.json"))
            .contains("\"allowed\":false")
            .contains(
                "cannot check that the hosts are unique: Policy has not been granted access to"
                    + " Kubernetes networking.k8s.io/v1/Ingress resources.");
      }
    }
  }
}
