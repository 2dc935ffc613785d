package dev.k8swasm.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.json.Json;
import dev.k8swasm.testing.Wire;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenReviewBuilderTest {

  @Test
  void buildsTheDocumentKubeApiServerSends() {
    TokenReview review =
        TokenReview.builder().token("t0ken").audiences("https://api", "vault").build();
    assertThat(Wire.tree(Json.write(review)))
        .isEqualTo(
            Wire.tree(
                """
                {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview",
                 "spec": {"token": "t0ken", "audiences": ["https://api", "vault"]}}
                """
                    .getBytes()));
    assertThat(review.token()).isEqualTo("t0ken");
    assertThat(review.audiences()).containsExactly("https://api", "vault");
  }

  @Test
  void withoutAudiencesTheFieldIsAbsentAndV1beta1CanBeAsked() {
    TokenReview review =
        TokenReview.builder()
            .apiVersion(TokenReview.V1BETA1)
            .token("x")
            .audiences(List.of())
            .build();
    assertThat(review.apiVersion()).isEqualTo(TokenReview.V1BETA1);
    assertThat(review.spec().audiences()).isNull();
    assertThat(review.audiences()).isEmpty();
    assertThat(new String(Json.write(review))).doesNotContain("audiences");
  }

  @Test
  void aTokenIsRequiredAndOnlyKnownVersionsAreAccepted() {
    assertThatThrownBy(() -> TokenReview.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a TokenReview needs a token(...)");
    assertThatThrownBy(() -> TokenReview.builder().apiVersion("authentication.k8s.io/v2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("authentication.k8s.io/v1 or authentication.k8s.io/v1beta1");
  }
}
