package dev.k8swasm.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.authn.UserInfo;
import dev.k8swasm.json.Json;
import dev.k8swasm.testing.Wire;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubjectAccessReviewBuilderTest {

  private static com.fasterxml.jackson.databind.JsonNode tree(String json) {
    return Wire.tree(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aResourceRequestWithEveryAttribute() {
    UserInfo alice =
        UserInfo.of("alice", "u-1", List.of("devs", "system:authenticated"))
            .withExtra(Map.of("scopes", List.of("a", "b")));
    SubjectAccessReview review =
        SubjectAccessReview.builder()
            .userInfo(alice)
            .resourceAttributes(
                ResourceAttributes.builder()
                    .namespace("shop")
                    .verb("update")
                    .group("apps")
                    .version("v1")
                    .resource("deployments")
                    .subresource("scale")
                    .name("web")
                    .build())
            .build();
    assertThat(Wire.tree(Json.write(review)))
        .isEqualTo(
            tree(
                """
                {"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
                 "spec": {"resourceAttributes": {"namespace": "shop", "verb": "update",
                           "group": "apps", "version": "v1", "resource": "deployments",
                           "subresource": "scale", "name": "web"},
                          "user": "alice", "groups": ["devs", "system:authenticated"],
                          "extra": {"scopes": ["a", "b"]}, "uid": "u-1"}}
                """));
  }

  @Test
  void aNonResourceRequest() {
    SubjectAccessReview review =
        SubjectAccessReview.builder()
            .user("bob")
            .nonResourceAttributes(NonResourceAttributes.of("get", "/healthz"))
            .build();
    assertThat(review.spec().nonResourceAttributes().verb()).isEqualTo("get");
    assertThat(review.spec().nonResourceAttributes().path()).isEqualTo("/healthz");
    assertThat(review.spec().resourceAttributes()).isNull();
    assertThat(review.spec().allGroups()).isEmpty();
    assertThat(Wire.tree(Json.write(review)))
        .isEqualTo(
            tree(
                """
                {"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
                 "spec": {"nonResourceAttributes": {"path": "/healthz", "verb": "get"},
                          "user": "bob"}}
                """));
  }

  @Test
  void groupsGoToTheFieldOfTheApiVersion() {
    SubjectAccessReview v1 =
        SubjectAccessReview.builder()
            .groups("devs")
            .resourceAttributes(ResourceAttributes.of("get", "", "pods", "x"))
            .build();
    assertThat(v1.spec().groups()).containsExactly("devs");
    assertThat(v1.spec().group()).isNull();

    SubjectAccessReview v1beta1 =
        SubjectAccessReview.builder()
            .apiVersion(SubjectAccessReview.V1BETA1)
            .groups("devs")
            .resourceAttributes(ResourceAttributes.of("get", "", "pods", "x"))
            .build();
    assertThat(v1beta1.spec().group()).containsExactly("devs");
    assertThat(v1beta1.spec().groups()).isNull();
    assertThat(v1beta1.spec().allGroups()).containsExactly("devs");
    assertThat(new String(Json.write(v1beta1), StandardCharsets.UTF_8))
        .contains("\"group\":[\"devs\"]")
        .doesNotContain("\"groups\"");
    assertThat(v1beta1.toV1().spec().groups()).containsExactly("devs");
  }

  @Test
  void theLastAttributesWin() {
    SubjectAccessReview review =
        SubjectAccessReview.builder()
            .user("u")
            .nonResourceAttributes(NonResourceAttributes.of("get", "/x"))
            .resourceAttributes(ResourceAttributes.of("get", "", "pods", ""))
            .build();
    assertThat(review.spec().nonResourceAttributes()).isNull();
    assertThat(review.spec().resourceAttributes().resource()).isEqualTo("pods");
  }

  @Test
  void incompleteRequestsAreRefusedWithWhatIsMissing() {
    assertThatThrownBy(
            () ->
                SubjectAccessReview.builder()
                    .resourceAttributes(ResourceAttributes.of("get", "", "pods", ""))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a SubjectAccessReview needs a user(...) or groups(...)");
    assertThatThrownBy(() -> SubjectAccessReview.builder().user("u").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "a SubjectAccessReview needs resourceAttributes(...) or nonResourceAttributes(...)");
    assertThatThrownBy(() -> ResourceAttributes.builder().verb("get").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("resource attributes need a verb(...) and a resource(...)");
    assertThatThrownBy(() -> SubjectAccessReview.builder().apiVersion("v1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decisionsSayWhetherTheyAllow() {
    assertThat(AuthorizationDecision.allow("ok", "m").allowed()).isTrue();
    assertThat(AuthorizationDecision.deny("no", "m").allowed()).isFalse();
    assertThat(AuthorizationDecision.noOpinion("").allowed()).isFalse();
  }
}
