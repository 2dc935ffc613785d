package dev.k8swasm.examples.policies;

import static dev.k8swasm.testing.WasmAssertions.assertThat;

import dev.k8swasm.testing.Fixtures;
import dev.k8swasm.testing.Policy;
import dev.k8swasm.testing.TokenReviews;
import dev.k8swasm.testing.WasmPolicy;
import org.junit.jupiter.api.Test;

/** The magic authenticator: one token, one user. */
@WasmPolicy("modules/magic_authenticator.wasm")
class MagicAuthenticatorTest {

  @Test
  void authenticatesTheMagicToken(Policy authenticator) {
    assertThat(authenticator.authenticate("magic-token"))
        .isAuthenticatedAs("magic-user")
        .withUid("0")
        .inExactlyGroups("magic-group")
        .hasNoErrors();
  }

  @Test
  void doesNotKnowOtherTokens(Policy authenticator) {
    assertThat(authenticator.authenticate("some-other-token")).isNotAuthenticated().hasNoErrors();
    assertThat(authenticator.authenticate(Fixtures.tokenReview("requests/tokenreview-other.json")))
        .isNotAuthenticated();
  }

  @Test
  void vouchesForTheRequestedAudiences(Policy authenticator) {
    assertThat(authenticator.authenticate(TokenReviews.forToken("magic-token").audiences("api")))
        .isAuthenticatedAs("magic-user")
        .withAudiences("api");
  }

  @Test
  void answersOlderApiServersInTheirVersion(Policy authenticator) {
    assertThat(authenticator.authenticate(TokenReviews.forToken("magic-token").v1beta1()))
        .isAuthenticatedAs("magic-user");
  }
}
