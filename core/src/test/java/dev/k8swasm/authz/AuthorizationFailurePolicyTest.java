package dev.k8swasm.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AuthorizationFailurePolicyTest {

  @ParameterizedTest
  @ValueSource(strings = {"NoOpinion", "noopinion", "NOOPINION", " NoOpinion ", "no_opinion"})
  void noOpinion(String text) {
    assertThat(AuthorizationFailurePolicy.parse(text))
        .isEqualTo(AuthorizationFailurePolicy.NO_OPINION);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Deny", "deny", "DENY", "\tDeny\n"})
  void deny(String text) {
    assertThat(AuthorizationFailurePolicy.parse(text)).isEqualTo(AuthorizationFailurePolicy.DENY);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"Allow", "Fail", "Ignore", "no opinion", "Denied"})
  void anythingElseIsRejectedNamingTheAcceptedValues(String text) {
    assertThatThrownBy(() -> AuthorizationFailurePolicy.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'")
        .hasMessageContaining("use NoOpinion or Deny");
  }
}
