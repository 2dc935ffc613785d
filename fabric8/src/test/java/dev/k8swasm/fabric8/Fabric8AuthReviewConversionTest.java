package dev.k8swasm.fabric8;

import static dev.k8swasm.fabric8.Trees.assertSameJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.authz.ResourceAttributes;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.authz.SubjectAccessReviewSpec;
import dev.k8swasm.json.Json;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Fabric8AuthReviewConversionTest {

  // ------------------------------------------------------------------ TokenReview

  @Test
  void tokenReviewV1RoundTripsBothWays() {
    JsonNode wire = Trees.parse(Trees.resource("token-review-v1.json"));
    TokenReview ours = Json.convert(wire, TokenReview.class);

    var fabric8 = Fabric8Reviews.toFabric8(ours);
    assertSameJson(Trees.fabric8(fabric8), wire);
    assertThat(fabric8.getSpec().getToken()).isEqualTo(ours.token());
    assertThat(fabric8.getSpec().getAudiences())
        .containsExactly("https://kubernetes.default.svc", "vault");
    assertThat(fabric8.getStatus().getAuthenticated()).isTrue();
    assertThat(fabric8.getStatus().getUser().getExtra())
        .containsEntry("example.com/team", List.of("shop", "web"));
    assertThat(fabric8.getStatus().getError()).isEmpty();
    assertThat(fabric8.getStatus().getAdditionalProperties())
        .containsEntry("x-status", new BigDecimal("12345678901234567890.5"));
    assertThat(fabric8.getMetadata().getAdditionalProperties()).containsEntry("x-meta", 1);

    TokenReview back = Fabric8Reviews.fromFabric8(fabric8);
    assertSameJson(Trees.ours(back), wire);
    assertThat(back).isEqualTo(ours);

    var again = Fabric8Reviews.toFabric8(back);
    assertThat(again).isEqualTo(fabric8);
  }

  @Test
  void tokenReviewV1beta1RoundTripsBothWays() {
    JsonNode wire = Trees.parse(Trees.resource("token-review-v1beta1.json"));
    TokenReview ours = Json.convert(wire, TokenReview.class);

    var fabric8 = Fabric8Reviews.toFabric8V1beta1(ours);
    assertSameJson(Trees.fabric8(fabric8), wire);
    assertThat(fabric8.getApiVersion()).isEqualTo(TokenReview.V1BETA1);
    assertThat(fabric8.getStatus().getUser().getUsername()).isEqualTo("jane@example.com");

    TokenReview back = Fabric8Reviews.fromFabric8(fabric8);
    assertSameJson(Trees.ours(back), wire);
    assertThat(Fabric8Reviews.toFabric8V1beta1(back)).isEqualTo(fabric8);
  }

  @Test
  void tokenReviewBuiltWithFabric8RoundTrips() {
    var fabric8 =
        new TokenReviewBuilder()
            .withNewSpec()
            .withToken("t0ken")
            .withAudiences("api")
            .endSpec()
            .build();

    TokenReview ours = Fabric8Reviews.fromFabric8(fabric8);

    assertThat(ours.apiVersion()).isEqualTo(TokenReview.V1);
    assertThat(ours.kind()).isEqualTo(TokenReview.KIND);
    assertThat(ours.token()).isEqualTo("t0ken");
    assertThat(ours.audiences()).containsExactly("api");
    assertThat(Fabric8Reviews.toFabric8(ours)).isEqualTo(fabric8);
  }

  @Test
  void tokenReviewWithoutTypeMetaGetsNoDefaults() {
    TokenReview ours = new TokenReview(null, null, null, null, null, Map.of());

    var v1 = Fabric8Reviews.toFabric8(ours);
    var v1beta1 = Fabric8Reviews.toFabric8V1beta1(ours);

    assertThat(v1.getApiVersion()).isNull();
    assertThat(v1.getKind()).isNull();
    assertThat(v1beta1.getApiVersion()).isNull();
    assertThat(v1beta1.getKind()).isNull();
    assertSameJson(Trees.fabric8(v1), Trees.parse("{}"));
  }

  @Test
  void tokenReviewWithMetadataFabric8CannotHoldIsRejected() {
    TokenReview ours =
        new TokenReview(TokenReview.V1, TokenReview.KIND, Trees.parse("\"x\""), null, null, null);

    assertThatThrownBy(() -> Fabric8Reviews.toFabric8(ours))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("io.fabric8.kubernetes.api.model.authentication.TokenReview");
  }

  // ------------------------------------------------------------------ SubjectAccessReview

  @Test
  void subjectAccessReviewV1RoundTripsBothWays() {
    JsonNode wire = Trees.parse(Trees.resource("subject-access-review-v1.json"));
    SubjectAccessReview ours = Json.convert(wire, SubjectAccessReview.class);

    var fabric8 = Fabric8Reviews.toFabric8(ours);
    assertSameJson(Trees.fabric8(fabric8), wire);
    var attributes = fabric8.getSpec().getResourceAttributes();
    assertThat(attributes.getSubresource()).isEqualTo("scale");
    assertThat(attributes.getFieldSelector().getRequirements().get(0).getValues())
        .containsExactly("web");
    assertThat(attributes.getLabelSelector().getRequirements()).hasSize(2);
    assertThat(attributes.getLabelSelector().getRequirements().get(1).getOperator())
        .isEqualTo("Exists");
    assertThat(fabric8.getSpec().getNonResourceAttributes().getPath()).isEqualTo("/healthz");
    assertThat(fabric8.getSpec().getGroups()).containsExactly("developers", "system:authenticated");
    assertThat(fabric8.getSpec().getExtra()).containsEntry("scopes", List.of("a", "b"));
    assertThat(fabric8.getStatus().getDenied()).isTrue();
    assertThat(fabric8.getStatus().getEvaluationError()).isEqualTo("partial: rule 3 failed");

    SubjectAccessReview back = Fabric8Reviews.fromFabric8(fabric8);
    assertSameJson(Trees.ours(back), wire);
    assertThat(back).isEqualTo(ours);
    assertThat(Fabric8Reviews.toFabric8(back)).isEqualTo(fabric8);
  }

  @Test
  void subjectAccessReviewV1beta1KeepsItsGroupField() {
    JsonNode wire = Trees.parse(Trees.resource("subject-access-review-v1beta1.json"));
    SubjectAccessReview ours = Json.convert(wire, SubjectAccessReview.class);
    assertThat(ours.spec().group()).containsExactly("developers", "system:authenticated");

    var fabric8 = Fabric8Reviews.toFabric8V1beta1(ours);
    assertSameJson(Trees.fabric8(fabric8), wire);
    assertThat(fabric8.getSpec().getGroup()).containsExactly("developers", "system:authenticated");
    // v1beta1's ResourceAttributes has no selectors: fabric8 keeps them as unknown fields
    assertThat(fabric8.getSpec().getResourceAttributes().getAdditionalProperties())
        .containsKeys("fieldSelector", "labelSelector");

    SubjectAccessReview back = Fabric8Reviews.fromFabric8(fabric8);
    assertSameJson(Trees.ours(back), wire);
    assertThat(back).isEqualTo(ours);
    assertThat(Fabric8Reviews.toFabric8V1beta1(back)).isEqualTo(fabric8);
  }

  @Test
  void v1beta1DocumentInTheV1ClassIsStillLossless() {
    JsonNode wire = Trees.parse(Trees.resource("subject-access-review-v1beta1.json"));
    SubjectAccessReview ours = Json.convert(wire, SubjectAccessReview.class);

    var fabric8 = Fabric8Reviews.toFabric8(ours);

    assertThat(fabric8.getApiVersion()).isEqualTo(SubjectAccessReview.V1BETA1);
    assertThat(fabric8.getSpec().getGroups()).isEmpty();
    assertThat(fabric8.getSpec().getAdditionalProperties()).containsKey("group");
    assertSameJson(Trees.ours(Fabric8Reviews.fromFabric8(fabric8)), wire);
  }

  @Test
  void subjectAccessReviewBuiltWithFabric8RoundTrips() {
    var fabric8 =
        new SubjectAccessReviewBuilder()
            .withNewSpec()
            .withUser("jane")
            .withGroups("dev")
            .withNewResourceAttributes()
            .withVerb("get")
            .withResource("pods")
            .withNamespace("ns")
            .endResourceAttributes()
            .endSpec()
            .build();

    SubjectAccessReview ours = Fabric8Reviews.fromFabric8(fabric8);

    assertThat(ours.apiVersion()).isEqualTo(SubjectAccessReview.V1);
    assertThat(ours.spec())
        .isEqualTo(
            new SubjectAccessReviewSpec(
                new ResourceAttributes(
                    "ns", "get", null, null, "pods", null, null, null, null, null),
                null,
                "jane",
                List.of("dev"),
                null,
                null,
                null,
                null));
    assertThat(Fabric8Reviews.toFabric8(ours)).isEqualTo(fabric8);
  }
}
