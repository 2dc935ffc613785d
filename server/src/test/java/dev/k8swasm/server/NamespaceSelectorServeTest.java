package dev.k8swasm.server;

import static dev.k8swasm.server.Fixture.module;
import static dev.k8swasm.server.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.cluster.ClusterContext;
import dev.k8swasm.cluster.MockApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code namespaceSelector}s applied by the server itself, with namespace labels from a cluster's
 * informer cache (fabric8's mock API server in CRUD mode standing in for kube-apiserver), and
 * readiness following the cache.
 */
class NamespaceSelectorServeTest {
  private MockApiServer api;
  private KubernetesClient admin;
  private ClusterContext cluster;
  private Fixture.Running s;

  @BeforeEach
  void start(@TempDir Path dir) throws Exception {
    api = new MockApiServer();
    admin = api.adminClient();
    namespace("shop", "team", "a");
    namespace("blog", "team", "b");
    cluster = ClusterContext.builder(api.client()).closeClient(true).build();
    Path config =
        Fixture.write(
            dir.resolve("server.yaml"),
            "admission:\n"
                + "  modules:\n"
                + Fixture.moduleEntry(
                    "magic-mutator",
                    module("magic_mutator.wasm"),
                    "mutating: true",
                    "namespaceSelector: {matchLabels: {team: a}}",
                    "rules: [{operations: [CREATE], apiGroups: [''], apiVersions: [v1],"
                        + " resources: [configmaps]}]")
                + Fixture.moduleEntry(
                    "magic-validator",
                    module("magic_validator.wasm"),
                    "namespaceSelector: {matchExpressions: [{key: team, operator: In, values:"
                        + " [a]}]}",
                    "rules: [{operations: [CREATE], apiGroups: [''], apiVersions: [v1],"
                        + " resources: [configmaps]}]"));
    WebhookServer server =
        WebhookServer.builder(config)
            .overrides(new Fixture.Flags().overrides())
            .namespaceLabels(cluster.namespaceLabels())
            .readiness(cluster::notReady)
            .build()
            .start();
    var chain = server.certificateChain();
    s =
        new Fixture.Running(
            server,
            Fixture.client(java.util.List.of(chain.get(chain.size() - 1)), null, null),
            new java.util.concurrent.CopyOnWriteArrayList<>());
  }

  @AfterEach
  void stop() throws Exception {
    s.close();
    cluster.close();
    admin.close();
    api.close();
  }

  private void namespace(String name, String key, String value) {
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels(key, value)
                .endMetadata()
                .build())
        .create();
  }

  private static String in(String namespace, String requestFile) {
    return request(requestFile)
        .replace("\"namespace\": \"shop\"", "\"namespace\": \"" + namespace + "\"");
  }

  @Test
  void validateAndMutateRunOnlyTheModulesWhoseNamespaceSelectorMatches() throws Exception {
    Fixture.await(() -> s.get(WebhookServer.READYZ).statusCode() == 200, "ready");

    // shop has team=a: the validator runs and denies, the mutator patches
    JsonNode denied =
        s.review(WebhookServer.VALIDATE, in("shop", "admission-configmap-not-allowed.json"));
    assertThat(denied.path("response").path("allowed").asBoolean()).isFalse();
    JsonNode patched =
        s.review(WebhookServer.MUTATE, in("shop", "admission-configmap-create.json"));
    assertThat(patched.path("response").path("patchType").asText()).isEqualTo("JSONPatch");
    assertThat(
            s.review(
                    "/validate/magic-validator", in("shop", "admission-configmap-not-allowed.json"))
                .path("response")
                .path("allowed")
                .asBoolean())
        .isFalse();

    // blog has team=b: neither module is asked
    JsonNode allowed =
        s.review(WebhookServer.VALIDATE, in("blog", "admission-configmap-not-allowed.json"));
    assertThat(allowed.path("response").path("allowed").asBoolean()).isTrue();
    JsonNode untouched =
        s.review(WebhookServer.MUTATE, in("blog", "admission-configmap-create.json"));
    assertThat(untouched.path("response").has("patch")).isFalse();

    // a label change reaches the next request through the informer
    // (replaced rather than updated: the mock's PUT handler needs zjsonpatch 8, k8s-wasm keeps 7)
    admin.namespaces().withName("blog").delete();
    Fixture.await(() -> admin.namespaces().withName("blog").get() == null, "blog deleted");
    namespace("blog", "team", "a");
    Fixture.await(
        () ->
            !s.review(WebhookServer.VALIDATE, in("blog", "admission-configmap-not-allowed.json"))
                .path("response")
                .path("allowed")
                .asBoolean(),
        "blog's new label applied");
  }

  @Test
  void readinessFollowsTheApiServer() throws Exception {
    Fixture.await(() -> s.get(WebhookServer.READYZ).statusCode() == 200, "ready");
    api.proxy().down();
    Fixture.await(() -> s.get(WebhookServer.READYZ).statusCode() == 503, "not ready");
    HttpResponse<String> r = s.get(WebhookServer.READINESS);
    assertThat(r.statusCode()).isEqualTo(503);
    // whichever notices first: the cache's watch, or readiness asking the API server
    assertThat(r.body())
        .contains("not ready: ")
        .containsAnyOf(
            "cannot reach the Kubernetes API server", "v1/Namespace: watch lost, reconnecting");
    assertThat(s.server.ready()).isFalse();
    api.proxy().up();
    Fixture.await(() -> s.get(WebhookServer.READYZ).statusCode() == 200, "ready again");
    assertThat(s.server.ready()).isTrue();
  }
}
