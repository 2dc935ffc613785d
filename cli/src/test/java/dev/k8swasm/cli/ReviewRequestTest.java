package dev.k8swasm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.json.Json;
import dev.k8swasm.module.ReviewKind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Detection of the request kind. */
class ReviewRequestTest {

  static ReviewRequest detect(String document) {
    return ReviewRequest.of(Json.readTree(document.getBytes(StandardCharsets.UTF_8)), "test");
  }

  @Test
  void tokenReview() {
    ReviewRequest r =
        detect(
            "{\"apiVersion\":\"authentication.k8s.io/v1beta1\",\"kind\":\"TokenReview\",\"spec\":{\"token\":\"t\"}}");

    assertThat(r.kind()).isEqualTo(ReviewKind.AUTHENTICATION);
    assertThat(r.secret()).contains("t");
  }

  @Test
  void subjectAccessReviewFromYaml() {
    ReviewRequest r =
        detect("kind: SubjectAccessReview\napiVersion: authorization.k8s.io/v1\nspec: {user: u}\n");

    assertThat(r.kind()).isEqualTo(ReviewKind.AUTHORIZATION);
    assertThat(r.secret()).isEmpty();
  }

  @Test
  void admissionReview() {
    ReviewRequest r =
        detect(
            "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"1\",\"operation\":\"CREATE\"}}");

    assertThat(r)
        .isInstanceOfSatisfying(ReviewRequest.Admission.class, a -> assertThat(a.bare()).isFalse());
  }

  @Test
  void bareAdmissionRequestIsWrapped() {
    ReviewRequest r =
        detect(
            "{\"uid\":\"abc\",\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},\"operation\":\"DELETE\"}");

    assertThat(r)
        .isInstanceOfSatisfying(
            ReviewRequest.Admission.class,
            a -> {
              assertThat(a.bare()).isTrue();
              assertThat(a.review().apiVersion()).isEqualTo("admission.k8s.io/v1");
              assertThat(a.review().request().uid()).isEqualTo("abc");
              assertThat(a.review().request().operation()).isEqualTo("DELETE");
            });
  }

  @Test
  void bareAdmissionRequestWithOnlyResource() {
    ReviewRequest r =
        detect("operation: CREATE\nresource: {group: apps, version: v1, resource: deployments}\n");

    assertThat(r.kind()).isEqualTo(ReviewKind.ADMISSION);
  }

  @Test
  void operationAloneIsNotEnough() {
    assertThatThrownBy(() -> detect("{\"operation\":\"CREATE\"}"))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("unknown request kind");
  }

  @Test
  void objectWithApiVersionButNoKnownKind() {
    assertThatThrownBy(
            () ->
                detect(
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"operation\":\"CREATE\",\"uid\":\"1\"}"))
        .isInstanceOf(CliException.class)
        .hasMessage(
            "unknown request kind 'ConfigMap' in test (expected TokenReview, SubjectAccessReview,"
                + " AdmissionReview or an AdmissionRequest)");
  }

  @Test
  void notAnObject() {
    assertThatThrownBy(() -> detect("[1, 2]"))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("not an object");
  }

  @Test
  void wrongShapeForTheKind() {
    assertThatThrownBy(
            () -> detect("{\"kind\":\"TokenReview\",\"spec\":{\"audiences\":{\"a\":1}}}"))
        .isInstanceOf(CliException.class)
        .hasMessageStartingWith("invalid request in test: not a valid TokenReview");
  }
}
