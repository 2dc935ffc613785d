package dev.k8swasm.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.authn.AuthenticationResult;
import dev.k8swasm.authn.Authenticator;
import dev.k8swasm.authn.AuthenticatorChain;
import dev.k8swasm.authn.ModuleAuthenticator;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.json.Json;
import dev.k8swasm.json.Redaction;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.testing.FakeModule;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 3, secrets, in the library: whatever a module or an authenticator puts into an error - the
 * bearer token bare, without a {@code "token"} key or {@code Bearer} in front - the errors of
 * ModuleAuthenticator and AuthenticatorChain, the status they produce and the answer never carry
 * the token under review.
 */
class TokenRedactionTest {
  private static final String TOKEN = "eyJhbGciOi.s3cr3t-payload.SiGnAtUrE_x9";

  private static TokenReview review() {
    return TokenReview.forToken(TOKEN, List.of());
  }

  private static void assertNoToken(AuthenticationResult result) {
    assertThat(result.authenticated()).isFalse();
    assertThat(result.errors()).isNotEmpty().allSatisfy(e -> assertThat(e).doesNotContain(TOKEN));
    assertThat(result.errorMessage()).contains(Redaction.REDACTED);
    assertThat(Json.writeString(result.toStatus())).doesNotContain(TOKEN);
    assertThat(Json.writeString(result.respondTo(review()))).doesNotContain(TOKEN);
  }

  @Test
  void aModuleThatRepeatsTheTokenInStatusError() {
    FakeModule module =
        FakeModule.of(
            "echoes",
            request -> {
              ObjectNode answer = request.deepCopy();
              answer
                  .putObject("status")
                  .put("authenticated", false)
                  .put("error", "credential " + request.at("/spec/token").asText() + " expired");
              return answer;
            });

    assertNoToken(ModuleAuthenticator.of(module).authenticate(review()));
  }

  /** A module failure whose message quotes the token (e.g. from the module's stderr). */
  @ParameterizedTest
  @EnumSource(
      value = FailureReason.class,
      names = {"EXIT_CODE", "MODULE_ERROR", "TRAP", "BAD_OUTPUT"})
  void aModuleFailureThatQuotesTheToken(FailureReason reason) {
    FakeModule module =
        FakeModule.of(
            "careless",
            request -> {
              throw new ModuleException(
                  "careless", reason, "stderr: rejected " + request.at("/spec/token").asText());
            });

    AuthenticationResult result = ModuleAuthenticator.of(module).authenticate(review());

    assertNoToken(result);
    assertThat(result.errorMessage()).contains("module 'careless'", "[" + reason + "]");
  }

  @Test
  void anyAuthenticatorInAChain() {
    Authenticator careless =
        r -> AuthenticationResult.failed(List.of("token " + r.token() + " is unknown"));
    Authenticator alsoCareless =
        r -> AuthenticationResult.failed(List.of("Authorization: Bearer " + r.token()));

    AuthenticationResult result =
        AuthenticatorChain.of(List.of(careless, alsoCareless)).authenticate(review());

    assertNoToken(result);
    assertThat(result.errors()).hasSize(2);
  }

  @Test
  void shortTokensAreNotReplacedEverywhere() {
    // replacing every "ab" would garble the message and protect nothing real
    assertThat(Redaction.redact("a cab and a tab", "ab")).isEqualTo("a cab and a tab");
    assertThat(Redaction.redact("token abcdef here", "abcdef")).isEqualTo("token <redacted> here");
    assertThat(Redaction.redact("no secret", null)).isEqualTo("no secret");
    assertThat(Redaction.redact("{\"token\":\"xyz\"} xyz123456", "xyz123456"))
        .isEqualTo("{\"token\":\"<redacted>\"} <redacted>");
  }
}
