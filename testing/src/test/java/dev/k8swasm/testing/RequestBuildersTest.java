package dev.k8swasm.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.admission.AdmissionRequest;
import dev.k8swasm.admission.GroupVersionKind;
import dev.k8swasm.admission.GroupVersionResource;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.authn.UserInfo;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestBuildersTest {

  @Test
  void tokenReview() {
    TokenReview review = TokenReviews.forToken("t0k3n").audiences("api", "vault").build();
    JsonNode json = Json.toTree(review);
    assertThat(json.path("apiVersion").asText()).isEqualTo("authentication.k8s.io/v1");
    assertThat(json.path("kind").asText()).isEqualTo("TokenReview");
    assertThat(json.path("spec").path("token").asText()).isEqualTo("t0k3n");
    assertThat(review.audiences()).containsExactly("api", "vault");
    assertThat(json.has("status")).isFalse();
  }

  @Test
  void tokenReviewWithoutAudiencesAndV1beta1() {
    TokenReview review = TokenReviews.forToken("t").v1beta1().build();
    assertThat(review.apiVersion()).isEqualTo(TokenReview.V1BETA1);
    assertThat(Json.toTree(review).path("spec").has("audiences")).isFalse();
    assertThat(TokenReviews.forToken("secret").toString()).doesNotContain("secret");
  }

  @Test
  void subjectAccessReviewForAResource() {
    SubjectAccessReview review =
        SubjectAccessReviews.user("alice")
            .groups("devs", "system:authenticated")
            .uid("42")
            .extra("scopes", "a", "b")
            .verb("list")
            .apiGroup("apps")
            .version("v1")
            .resource("deployments")
            .subresource("scale")
            .namespace("shop")
            .name("web")
            .build();
    JsonNode json = Json.toTree(review);
    assertThat(json.path("apiVersion").asText()).isEqualTo("authorization.k8s.io/v1");
    JsonNode spec = json.path("spec");
    assertThat(spec.path("user").asText()).isEqualTo("alice");
    assertThat(spec.path("groups").toString()).isEqualTo("[\"devs\",\"system:authenticated\"]");
    assertThat(spec.path("uid").asText()).isEqualTo("42");
    assertThat(spec.path("extra").toString()).isEqualTo("{\"scopes\":[\"a\",\"b\"]}");
    assertThat(spec.path("resourceAttributes"))
        .isEqualTo(
            Json.readTree(
                ("{\"namespace\":\"shop\",\"verb\":\"list\",\"group\":\"apps\",\"version\":\"v1\","
                        + "\"resource\":\"deployments\",\"subresource\":\"scale\",\"name\":\"web\"}")
                    .getBytes()));
    assertThat(spec.has("nonResourceAttributes")).isFalse();
  }

  @Test
  void subjectAccessReviewDefaultsAndNonResource() {
    JsonNode plain = Json.toTree(SubjectAccessReviews.user("bob").resource("pods").build());
    assertThat(plain.path("spec").path("resourceAttributes").path("verb").asText())
        .isEqualTo("get");
    assertThat(plain.path("spec").path("resourceAttributes").path("group").asText()).isEmpty();
    assertThat(plain.path("spec").has("groups")).isFalse();

    JsonNode health =
        Json.toTree(SubjectAccessReviews.user("bob").nonResourcePath("/healthz").build());
    assertThat(health.path("spec").path("nonResourceAttributes").toString())
        .isEqualTo("{\"path\":\"/healthz\",\"verb\":\"get\"}");
    assertThat(health.path("spec").has("resourceAttributes")).isFalse();

    assertThatThrownBy(
            () -> SubjectAccessReviews.user("bob").resource("pods").nonResourcePath("/x").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not both");
  }

  @Test
  void subjectAccessReviewV1beta1PutsGroupsInGroup() {
    SubjectAccessReview review =
        SubjectAccessReviews.user("bob").groups("g").resource("pods").v1beta1().build();
    assertThat(review.apiVersion()).isEqualTo(SubjectAccessReview.V1BETA1);
    assertThat(review.spec().group()).containsExactly("g");
    assertThat(review.spec().groups()).isNull();
  }

  @Test
  void admissionReviewDerivesKindResourceNameAndNamespaceFromTheObject() {
    AdmissionRequest r =
        AdmissionReviews.create(
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec: {replicas: 2}
                """)
            .request();
    assertThat(r.kind()).isEqualTo(GroupVersionKind.of("apps", "v1", "Deployment"));
    assertThat(r.resource()).isEqualTo(GroupVersionResource.of("apps", "v1", "deployments"));
    assertThat(r.requestKind()).isEqualTo(r.kind());
    assertThat(r.requestResource()).isEqualTo(r.resource());
    assertThat(r.name()).isEqualTo("web");
    assertThat(r.namespace()).isEqualTo("shop");
    assertThat(r.operation()).isEqualTo("CREATE");
    assertThat(r.uid()).isNotBlank();
    assertThat(r.dryRun()).isFalse();
    assertThat(r.userInfo())
        .isEqualTo(UserInfo.of("test-user", null, List.of("system:authenticated")));
    assertThat(r.object().path("spec").path("replicas").asInt()).isEqualTo(2);
    assertThat(r.oldObject()).isNull();
    assertThat(r.options().toString())
        .isEqualTo("{\"kind\":\"CreateOptions\",\"apiVersion\":\"meta.k8s.io/v1\"}");
  }

  @ParameterizedTest
  @CsvSource({
    "Pod, pods",
    "ConfigMap, configmaps",
    "Ingress, ingresses",
    "NetworkPolicy, networkpolicies",
    "Gateway, gateways",
    "Endpoints, endpoints",
    "StorageClass, storageclasses",
    "Mesh, meshes",
    "Box, boxes"
  })
  void resourceIsTheLowerCasePluralOfTheKind(String kind, String resource) {
    assertThat(GroupVersionResource.forKind(GroupVersionKind.of("", "v1", kind)).resource())
        .isEqualTo(resource);
    AdmissionRequest r =
        AdmissionReviews.create(Map.of("apiVersion", "v1", "kind", kind)).request();
    assertThat(r.resource().resource()).isEqualTo(resource);
  }

  @Test
  void everythingCanBeOverridden() {
    JsonNode old =
        Json.readTree("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"data\":{}}".getBytes());
    AdmissionRequest r =
        AdmissionReviews.update(Map.of("apiVersion", "example.com/v1", "kind", "Octopus"), old)
            .resource("octopi")
            .namespace("sea")
            .name("paul")
            .uid("u-1")
            .subResource("status")
            .user("alice")
            .groups("divers")
            .dryRun(true)
            .request();
    assertThat(r.resource()).isEqualTo(GroupVersionResource.of("example.com", "v1", "octopi"));
    assertThat(r.subResource()).isEqualTo("status");
    assertThat(r.namespace()).isEqualTo("sea");
    assertThat(r.name()).isEqualTo("paul");
    assertThat(r.uid()).isEqualTo("u-1");
    assertThat(r.operation()).isEqualTo("UPDATE");
    assertThat(r.oldObject()).isEqualTo(old);
    assertThat(r.userInfo().username()).isEqualTo("alice");
    assertThat(r.userInfo().groups()).containsExactly("divers");
    assertThat(r.dryRun()).isTrue();
    assertThat(r.options().toString())
        .isEqualTo(
            "{\"kind\":\"UpdateOptions\",\"apiVersion\":\"meta.k8s.io/v1\",\"dryRun\":[\"All\"]}");

    AdmissionRequest custom =
        AdmissionReviews.create("{apiVersion: v1, kind: Pod}")
            .resource("", "v1", "pods")
            .userInfo(UserInfo.of("u", "1", List.of()))
            .options(null)
            .request();
    assertThat(custom.resource()).isEqualTo(GroupVersionResource.of("", "v1", "pods"));
    assertThat(custom.userInfo().uid()).isEqualTo("1");
    assertThat(custom.options()).isNull();
  }

  @Test
  void deleteTakesKindAndNameFromTheOldObject() {
    AdmissionRequest r =
        AdmissionReviews.delete("{apiVersion: v1, kind: Secret, metadata: {name: s, namespace: n}}")
            .request();
    assertThat(r.operation()).isEqualTo("DELETE");
    assertThat(r.object()).isNull();
    assertThat(r.resource().resource()).isEqualTo("secrets");
    assertThat(r.name()).isEqualTo("s");
    assertThat(r.namespace()).isEqualTo("n");
    assertThat(r.options().path("kind").asText()).isEqualTo("DeleteOptions");
  }

  @Test
  void connectAndExplicitKind() {
    AdmissionRequest r =
        AdmissionReviews.of("connect")
            .kind("", "v1", "PodExecOptions")
            .resource("", "v1", "pods")
            .subResource("exec")
            .name("web")
            .namespace("shop")
            .request();
    assertThat(r.operation()).isEqualTo("CONNECT");
    assertThat(r.kind().kind()).isEqualTo("PodExecOptions");
    assertThat(r.options()).isNull();
  }

  @Test
  void anObjectWithoutKindNeedsOne() {
    assertThatThrownBy(() -> AdmissionReviews.create("{metadata: {name: x}}").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no apiVersion and kind")
        .hasMessageContaining(".kind(group, version, kind)");
  }

  @Test
  void objectsCanBeGivenInManyForms() {
    String yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n";
    JsonNode fromYaml = AdmissionReviews.create(yaml).request().object();
    JsonNode fromJson =
        AdmissionReviews.create(
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"data\":{\"a\":\"b\"}}")
            .request()
            .object();
    JsonNode fromMap =
        AdmissionReviews.create(
                Map.of(
                    "apiVersion",
                    "v1",
                    "kind",
                    "ConfigMap",
                    "metadata",
                    Map.of("name", "c"),
                    "data",
                    Map.of("a", "b")))
            .request()
            .object();
    JsonNode fromTree = AdmissionReviews.create(fromYaml).request().object();
    assertThat(fromJson).isEqualTo(fromYaml);
    assertThat(fromMap).isEqualTo(fromYaml);
    assertThat(fromTree).isEqualTo(fromYaml).isNotSameAs(fromYaml);
  }
}
