package dev.k8swasm.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.authn.UserInfo;
import dev.k8swasm.json.Json;
import dev.k8swasm.testing.Wire;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdmissionReviewBuilderTest {
  private static final String CONFIG_MAP =
      """
      {"apiVersion": "v1", "kind": "ConfigMap",
       "metadata": {"name": "settings", "namespace": "shop"}, "data": {"colour": "blue"}}
      """;

  private static JsonNode tree(String json) {
    return Wire.tree(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aCreateIsWhatKubeApiServerSends() {
    UserInfo alice = UserInfo.of("alice", "u-1", List.of("devs"));
    AdmissionReview review =
        AdmissionReview.builder(Operation.CREATE)
            .object(CONFIG_MAP)
            .userInfo(alice)
            .uid("1")
            .build();
    assertThat(Wire.tree(Json.write(review)))
        .isEqualTo(
            tree(
                """
                {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
                  "uid": "1",
                  "kind": {"group": "", "version": "v1", "kind": "ConfigMap"},
                  "resource": {"group": "", "version": "v1", "resource": "configmaps"},
                  "requestKind": {"group": "", "version": "v1", "kind": "ConfigMap"},
                  "requestResource": {"group": "", "version": "v1", "resource": "configmaps"},
                  "name": "settings", "namespace": "shop", "operation": "CREATE",
                  "userInfo": {"username": "alice", "uid": "u-1", "groups": ["devs"]},
                  "object": {"apiVersion": "v1", "kind": "ConfigMap",
                             "metadata": {"name": "settings", "namespace": "shop"},
                             "data": {"colour": "blue"}},
                  "dryRun": false,
                  "options": {"kind": "CreateOptions", "apiVersion": "meta.k8s.io/v1"}}}
                """));
  }

  @Test
  void anUpdateTakesKindAndGroupFromTheObjectAndAcceptsYamlMapsAndTrees() {
    Map<String, Object> old =
        Map.of(
            "apiVersion", "apps/v1",
            "kind", "Deployment",
            "metadata", Map.of("name", "web", "namespace", "shop"));
    AdmissionRequest request =
        AdmissionReview.builder(Operation.UPDATE)
            .object(
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                """)
            .oldObject(old)
            .subResource("scale")
            .dryRun(true)
            .build()
            .request();
    assertThat(request.kind()).isEqualTo(GroupVersionKind.of("apps", "v1", "Deployment"));
    assertThat(request.resource()).isEqualTo(GroupVersionResource.of("apps", "v1", "deployments"));
    assertThat(request.requestSubResource()).isEqualTo("scale");
    assertThat(request.oldObject()).isEqualTo(Json.tree(old));
    assertThat(request.dryRun()).isTrue();
    assertThat(request.options())
        .isEqualTo(
            tree(
                "{\"kind\": \"UpdateOptions\", \"apiVersion\": \"meta.k8s.io/v1\", \"dryRun\": [\"All\"]}"));
    assertThat(request.uid()).hasSize(36);
    assertThat(request.userInfo()).isNull();
  }

  @Test
  void aDeleteDescribesTheOldObjectAndGivenValuesWin() {
    AdmissionRequest request =
        AdmissionReview.builder(Operation.DELETE)
            .oldObject(tree(CONFIG_MAP))
            .name("other")
            .namespace("elsewhere")
            .resource("configmaps-v2")
            .options(null)
            .build()
            .request();
    assertThat(request.operation()).isEqualTo("DELETE");
    assertThat(request.object()).isNull();
    assertThat(request.name()).isEqualTo("other");
    assertThat(request.namespace()).isEqualTo("elsewhere");
    assertThat(request.resource()).isEqualTo(GroupVersionResource.of("", "v1", "configmaps-v2"));
    assertThat(request.options()).isNull();
  }

  @Test
  void aConnectNeedsAGivenKind() {
    AdmissionRequest request =
        AdmissionReview.builder(Operation.CONNECT)
            .kind(GroupVersionKind.of("", "v1", "PodExecOptions"))
            .resource(GroupVersionResource.of("", "v1", "pods"))
            .subResource("exec")
            .name("web-0")
            .build()
            .request();
    assertThat(request.operation()).isEqualTo("CONNECT");
    assertThat(request.options()).isNull();
    assertThat(request.resource().resource()).isEqualTo("pods");
    assertThatThrownBy(() -> AdmissionReview.builder(Operation.CONNECT).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a CONNECT request needs a kind(...)");
  }

  @ParameterizedTest
  @CsvSource({
    "CREATE, true, true, a CREATE request needs an object and no oldObject",
    "CREATE, false, false, a CREATE request needs an object and no oldObject",
    "UPDATE, true, false, a UPDATE request needs an object and an oldObject",
    "DELETE, true, true, a DELETE request needs an oldObject and no object",
  })
  void objectsMustFitTheOperation(Operation op, boolean object, boolean old, String message) {
    AdmissionReview.Builder b = AdmissionReview.builder(op);
    if (object) {
      b.object(CONFIG_MAP);
    }
    if (old) {
      b.oldObject(CONFIG_MAP);
    }
    assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class).hasMessage(message);
  }

  @Test
  void anObjectWithoutKindNeedsAGivenKindAndBadTextIsRefused() {
    assertThatThrownBy(() -> AdmissionReview.builder(Operation.CREATE).object("data: {}").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the object has no apiVersion and kind")
        .hasMessageContaining("kind(GroupVersionKind.of(group, version, kind))");
    AdmissionRequest given =
        AdmissionReview.builder(Operation.CREATE)
            .object("data: {}")
            .kind(GroupVersionKind.of("example.com", "v1", "Octopus"))
            .resource("octopi")
            .build()
            .request();
    assertThat(given.resource()).isEqualTo(GroupVersionResource.of("example.com", "v1", "octopi"));
    assertThatThrownBy(() -> AdmissionReview.builder(Operation.CREATE).object("{not json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not valid JSON");
  }

  @ParameterizedTest
  @CsvSource({
    "Pod, pods",
    "Ingress, ingresses",
    "NetworkPolicy, networkpolicies",
    "Gateway, gateways",
    "Endpoints, endpoints",
    "ComponentStatus, componentstatuses",
    "PriorityClass, priorityclasses",
    "Mesh, meshes",
    "Box, boxes",
  })
  void resourcesArePluralsOfKinds(String kind, String resource) {
    assertThat(KindPlurals.resourceOf(kind)).isEqualTo(resource);
  }

  @Test
  void anAnsweredReviewTellsItsDecisionAndGivesTheWebhookShape() {
    AdmissionReview request =
        AdmissionReview.builder(Operation.CREATE).object(CONFIG_MAP).uid("u").build();
    assertThatThrownBy(request::allowed)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has no response");
    assertThatThrownBy(request::toWebhookResponse).isInstanceOf(IllegalStateException.class);

    AdmissionReview denied = request.withResponse(AdmissionResponse.deny("u", 403, "no"));
    assertThat(denied.allowed()).isFalse();
    assertThat(request.withResponse(AdmissionResponse.allow("u")).allowed()).isTrue();
    assertThat(
            request
                .withResponse(new AdmissionResponse("u", null, null, null, null, null, null, null))
                .allowed())
        .isFalse();

    assertThat(Wire.tree(Json.write(denied.toWebhookResponse())))
        .isEqualTo(
            tree(
                """
                {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                 "response": {"uid": "u", "allowed": false,
                              "status": {"message": "no", "code": 403}}}
                """));
    // the helpers are not properties: the wire form of a review is unchanged by them
    assertThat(Wire.tree(Json.write(denied)).fieldNames())
        .toIterable()
        .containsExactly("apiVersion", "kind", "request", "response");
  }
}
