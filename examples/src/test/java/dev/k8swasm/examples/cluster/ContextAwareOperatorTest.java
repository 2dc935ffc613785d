package dev.k8swasm.examples.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.cluster.MockApiServer;
import dev.k8swasm.json.Json;
import dev.k8swasm.testing.Fixtures;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator example against fabric8's mock API server in CRUD mode: the example Kubewarden
 * policy reads Namespace {@code default} through the operator's own informer (its {@code
 * contextResource} setting) and asks {@code can_i} (its {@code canI} setting), answering with the
 * warnings {@code context:default} and {@code can-i:...}.
 */
class ContextAwareOperatorTest {
  private MockApiServer api;
  private KubernetesClient client;
  private SharedIndexInformer<Namespace> namespaces;

  @BeforeEach
  void start() throws Exception {
    api = new MockApiServer();
    client = api.client();
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("default").endMetadata().build())
        .create();
    api.server()
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/subjectaccessreviews")
        .andReturn(
            201,
            "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\","
                + "\"spec\":{},\"status\":{\"allowed\":true,\"reason\":\"RBAC\"}}")
        .always();
    // the operator's own informer, started and synced as operators do
    namespaces = client.namespaces().inform();
    namespaces.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    namespaces.close();
    client.close();
    api.close();
  }

  @Test
  void thePolicyReadsTheOperatorsInformerAndAsksTheApiServer() {
    JsonNode settings =
        Json.readTree(
            ("{\"contextResource\":{\"api_version\":\"v1\",\"kind\":\"Namespace\",\"name\":\"default\"},"
                    + "\"canI\":{\"user\":\"alice\",\"verb\":\"create\",\"resource\":\"pods\",\"namespace\":\"default\"}}")
                .getBytes(StandardCharsets.UTF_8));
    try (ContextAwareOperator operator =
        ContextAwareOperator.start(
            client, namespaces, Path.of("modules/kubewarden/policy_wasi.wasm"), settings)) {
      AdmissionReview answer =
          operator.admit(Fixtures.admissionReview("requests/kubewarden/pod-create.json"));
      assertThat(answer.response().allowed()).isTrue();
      assertThat(answer.response().warnings()).contains("context:default", "can-i:allowed");
    }
  }
}
