package dev.k8swasm.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.k8swasm.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthenticationResultTest {
  static final UserInfo USER = UserInfo.of("u", "1", List.of("g"));

  @Test
  void anAuthenticatedResultNeedsAUser() {
    assertThatThrownBy(() -> new AuthenticationResult(true, null, null, null, "m"))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void listsAreNeverNullAndAreCopied() {
    List<String> errors = new ArrayList<>(List.of("e"));
    AuthenticationResult result = new AuthenticationResult(false, null, null, errors, null);
    errors.add("later");

    assertThat(result.audiences()).isEmpty();
    assertThat(result.errors()).containsExactly("e");
  }

  @Test
  void authenticatedStatusCarriesUserAndAudiences() {
    TokenReviewStatus status =
        AuthenticationResult.authenticated(USER, List.of("api"), "m").toStatus();

    assertThat(status.authenticated()).isTrue();
    assertThat(status.user()).isEqualTo(USER);
    assertThat(status.audiences()).containsExactly("api");
    assertThat(status.error()).isNull();
  }

  @Test
  void authenticatedStatusWithoutAudiencesOmitsThem() {
    assertThat(AuthenticationResult.authenticated(USER, List.of(), "m").toStatus().audiences())
        .isNull();
  }

  @Test
  void unauthenticatedStatusSaysFalseExplicitly() {
    TokenReviewStatus status = AuthenticationResult.unauthenticated().toStatus();

    assertThat(status.authenticated()).isFalse();
    assertThat(status.user()).isNull();
    assertThat(status.error()).isNull();
  }

  @Test
  void failedStatusJoinsTheErrors() {
    AuthenticationResult failed = AuthenticationResult.failed(List.of("a", "b"));

    assertThat(failed.errorMessage()).isEqualTo("a; b");
    assertThat(failed.toStatus().error()).isEqualTo("a; b");
    assertThat(failed.toStatus().authenticated()).isFalse();
  }

  @Test
  void withErrorsReplacesOnlyTheErrors() {
    AuthenticationResult result =
        AuthenticationResult.authenticated(USER, List.of("x"), "m").withErrors(List.of("e"));

    assertThat(result.errors()).containsExactly("e");
    assertThat(result.user()).isEqualTo(USER);
    assertThat(result.audiences()).containsExactly("x");
    assertThat(result.authenticatedBy()).isEqualTo("m");
  }

  @Test
  void respondToKeepsTheRequestButNotTheToken() {
    TokenReview request =
        new TokenReview(
            TokenReview.V1BETA1,
            TokenReview.KIND,
            null,
            new TokenReviewSpec("secret", List.of("a"), Map.of("x", TextNode.valueOf("kept"))),
            null,
            Map.of("top", TextNode.valueOf("kept")));

    TokenReview answer = AuthenticationResult.unauthenticated().respondTo(request);

    assertThat(answer.apiVersion()).isEqualTo(TokenReview.V1BETA1);
    assertThat(answer.token()).isNull();
    assertThat(answer.audiences()).containsExactly("a");
    assertThat(answer.spec().additionalProperties())
        .isEqualTo(request.spec().additionalProperties());
    assertThat(answer.additionalProperties()).isEqualTo(request.additionalProperties());
    assertThat(answer.status().authenticated()).isFalse();
    assertThat(Json.writeString(answer)).doesNotContain("secret");
    assertThat(request.token()).isEqualTo("secret");
  }
}
