package dev.k8swasm.examples.policies;

import static dev.k8swasm.testing.WasmAssertions.assertThat;

import dev.k8swasm.testing.Fixtures;
import dev.k8swasm.testing.Policy;
import dev.k8swasm.testing.SubjectAccessReviews;
import dev.k8swasm.testing.WasmPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The magic authorizer: magic-group may do anything with configmaps; otherwise no opinion. */
@WasmPolicy("modules/magic_authorizer.wasm")
class MagicAuthorizerTest {

  @ParameterizedTest
  @ValueSource(strings = {"get", "list", "watch", "create", "update", "patch", "delete"})
  void allowsMagicGroupEverythingOnConfigMaps(String verb, Policy authorizer) {
    var review =
        SubjectAccessReviews.user("anyone")
            .groups("magic-group")
            .verb(verb)
            .resource("configmaps")
            .namespace("shop");
    assertThat(authorizer.authorize(review))
        .isAllowed()
        .withReason("magic-group may access configmaps")
        .hasNoEvaluationError();
  }

  @Test
  void hasNoOpinionOnOtherResources(Policy authorizer) {
    var pods =
        SubjectAccessReviews.user("anyone").groups("magic-group").verb("list").resource("pods");
    assertThat(authorizer.authorize(pods)).hasNoOpinion();
  }

  @Test
  void hasNoOpinionAboutOtherUsers(Policy authorizer) {
    var review = SubjectAccessReviews.user("magic-user").groups("devs").resource("configmaps");
    assertThat(authorizer.authorize(review)).hasNoOpinion();
  }

  @Test
  void hasNoOpinionOnNonResourcePaths(Policy authorizer) {
    var health = SubjectAccessReviews.user("u").groups("magic-group").nonResourcePath("/healthz");
    assertThat(authorizer.authorize(health)).hasNoOpinion();
  }

  @Test
  void readsOlderApiServersRequests(Policy authorizer) {
    var review =
        SubjectAccessReviews.user("u").groups("magic-group").resource("configmaps").v1beta1();
    assertThat(authorizer.authorize(review)).isAllowed();
    assertThat(authorizer.authorize(Fixtures.subjectAccessReview("requests/sar-configmaps.json")))
        .isAllowed();
    assertThat(authorizer.authorize(Fixtures.subjectAccessReview("requests/sar-pods.json")))
        .hasNoOpinion();
  }
}
