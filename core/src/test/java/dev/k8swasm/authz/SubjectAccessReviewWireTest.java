package dev.k8swasm.authz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.json.Json;
import dev.k8swasm.testing.Resources;
import dev.k8swasm.testing.Wire;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubjectAccessReviewWireTest {

  @Test
  void v1ResourceDocumentRoundTripsLosslesslyAndIsModelled() {
    SubjectAccessReview review =
        Wire.roundTrip("subjectaccessreview-v1-resource.json", SubjectAccessReview.class);

    assertThat(review.apiVersion()).isEqualTo(SubjectAccessReview.V1);
    assertThat(review.kind()).isEqualTo(SubjectAccessReview.KIND);
    assertThat(review.additionalProperties()).containsOnlyKeys("topUnknown");
    SubjectAccessReviewSpec spec = review.spec();
    assertThat(spec.user()).isEqualTo("jane");
    assertThat(spec.groups()).containsExactly("developers", "system:authenticated");
    assertThat(spec.group()).isNull();
    assertThat(spec.allGroups()).containsExactly("developers", "system:authenticated");
    assertThat(spec.extra()).containsEntry("reason", List.of("on-call", "incident 42"));
    assertThat(spec.uid()).isEqualTo("u-42");
    assertThat(spec.nonResourceAttributes()).isNull();
    assertThat(spec.additionalProperties()).containsOnlyKeys("specUnknown");

    ResourceAttributes ra = spec.resourceAttributes();
    assertThat(ra.namespace()).isEqualTo("team-a");
    assertThat(ra.verb()).isEqualTo("list");
    assertThat(ra.group()).isEqualTo("apps");
    assertThat(ra.version()).isEqualTo("v1");
    assertThat(ra.resource()).isEqualTo("deployments");
    assertThat(ra.subresource()).isEqualTo("scale");
    assertThat(ra.name()).isEqualTo("web");
    assertThat(ra.additionalProperties()).containsOnlyKeys("resourceAttributesUnknown");

    SelectorAttributes fields = ra.fieldSelector();
    assertThat(fields.rawSelector()).isEqualTo("spec.nodeName=node-1,metadata.name!=x");
    assertThat(fields.requirements()).hasSize(2);
    SelectorRequirement first = fields.requirements().get(0);
    assertThat(first.key()).isEqualTo("spec.nodeName");
    assertThat(first.operator()).isEqualTo("In");
    assertThat(first.values()).containsExactly("node-1");
    assertThat(first.additionalProperties()).containsOnlyKeys("reqUnknown");
    assertThat(fields.additionalProperties()).containsOnlyKeys("fieldSelectorUnknown");

    SelectorAttributes labels = ra.labelSelector();
    assertThat(labels.requirements())
        .extracting(SelectorRequirement::operator)
        .containsExactly("In", "DoesNotExist", "Exists");
    assertThat(labels.requirements().get(1).values()).isNull();
    assertThat(labels.requirements().get(2).values()).isEmpty();
    assertThat(labels.additionalProperties()).containsOnlyKeys("labelSelectorUnknown");

    SubjectAccessReviewStatus status = review.status();
    assertThat(status.allowed()).isTrue();
    assertThat(status.denied()).isFalse();
    assertThat(status.reason()).isEqualTo("RBAC: allowed by ClusterRoleBinding \"devs\"");
    assertThat(status.evaluationError()).isEqualTo("one of the authorizers failed");
    assertThat(status.additionalProperties()).containsOnlyKeys("statusUnknown");
  }

  @Test
  void v1NonResourceDocumentRoundTripsLosslessly() {
    SubjectAccessReview review =
        Wire.roundTrip("subjectaccessreview-v1-nonresource.json", SubjectAccessReview.class);

    NonResourceAttributes nra = review.spec().nonResourceAttributes();
    assertThat(nra.path()).isEqualTo("/healthz");
    assertThat(nra.verb()).isEqualTo("get");
    assertThat(nra.additionalProperties()).containsOnlyKeys("nonResourceUnknown");
    assertThat(review.spec().resourceAttributes()).isNull();
    assertThat(review.spec().uid()).isEmpty();
    assertThat(review.spec().extra()).isEmpty();
    assertThat(review.status().allowed()).isFalse();
    assertThat(review.status().denied()).isNull();
  }

  @Test
  void v1beta1DocumentRoundTripsLosslesslyWithItsGroupField() {
    SubjectAccessReview review =
        Wire.roundTrip("subjectaccessreview-v1beta1.json", SubjectAccessReview.class);

    assertThat(review.apiVersion()).isEqualTo(SubjectAccessReview.V1BETA1);
    assertThat(review.spec().group()).containsExactly("magic-group", "system:authenticated");
    assertThat(review.spec().groups()).isNull();
    assertThat(review.spec().allGroups()).containsExactly("magic-group", "system:authenticated");
    assertThat(review.spec().resourceAttributes().labelSelector().requirements()).isEmpty();
    assertThat(review.status().denied()).isTrue();

    JsonNode written = Wire.tree(Json.write(review));
    assertThat(written.path("spec").has("group")).isTrue();
    assertThat(written.path("spec").has("groups")).isFalse();
  }

  @Test
  void toV1MovesGroupToGroupsAndKeepsEverythingElse() {
    byte[] original = Resources.bytes("wire/subjectaccessreview-v1beta1.json");
    SubjectAccessReview beta = Json.read(original, SubjectAccessReview.class);

    SubjectAccessReview v1 = beta.toV1();

    ObjectNode expected = (ObjectNode) Wire.tree(original);
    expected.put("apiVersion", SubjectAccessReview.V1);
    ObjectNode spec = (ObjectNode) expected.get("spec");
    JsonNode groups = spec.remove("group");
    spec.set("groups", groups);
    assertThat(Json.toTree(v1)).isEqualTo(expected);
    assertThat(v1.spec().group()).isNull();
  }

  @Test
  void toV1OfAV1ReviewChangesNothing() {
    SubjectAccessReview review =
        Json.read(
            Resources.bytes("wire/subjectaccessreview-v1-resource.json"),
            SubjectAccessReview.class);

    assertThat(review.toV1()).isEqualTo(review);
    assertThat(review.spec().toV1()).isSameAs(review.spec());
  }

  @Test
  void whenBothGroupFieldsArePresentGroupsWins() {
    SubjectAccessReviewSpec spec =
        new SubjectAccessReviewSpec(
            null, null, "u", List.of("v1-group"), List.of("beta-group"), null, null, null);

    assertThat(spec.allGroups()).containsExactly("v1-group");
    assertThat(spec.toV1().groups()).containsExactly("v1-group");
    assertThat(spec.toV1().group()).isNull();
  }

  @Test
  void allGroupsIsEmptyWhenNeitherFieldIsSet() {
    SubjectAccessReviewSpec spec =
        new SubjectAccessReviewSpec(null, null, "u", null, null, null, null, null);

    assertThat(spec.allGroups()).isEmpty();
    assertThat(spec.toV1()).isSameAs(spec);
  }

  @Test
  void ofBuildsAV1Request() {
    SubjectAccessReview review =
        SubjectAccessReview.of(
            new SubjectAccessReviewSpec(
                ResourceAttributes.of("get", "", "pods", "default"),
                null,
                "jane",
                List.of("g"),
                null,
                null,
                null,
                null));

    assertThat(Json.toTree(review))
        .isEqualTo(
            Wire.tree(
                ("{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\","
                        + "\"spec\":{\"resourceAttributes\":{\"namespace\":\"default\","
                        + "\"verb\":\"get\",\"group\":\"\",\"resource\":\"pods\"},"
                        + "\"user\":\"jane\",\"groups\":[\"g\"]}}")
                    .getBytes(StandardCharsets.UTF_8)));
  }
}
