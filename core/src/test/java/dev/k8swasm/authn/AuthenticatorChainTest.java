package dev.k8swasm.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.testing.FakeModule;
import dev.k8swasm.testing.Resources;
import dev.k8swasm.testing.Wire;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthenticatorChainTest {
  static final String ALICE =
      "{\"authenticated\":true,\"user\":{\"username\":\"alice\",\"groups\":[\"g\"]}}";
  static final String BOB = "{\"authenticated\":true,\"user\":{\"username\":\"bob\"}}";
  static final String NO = "{\"authenticated\":false}";

  static FakeModule module(String name, String status) {
    return ModuleAuthenticatorTest.answering(name, status);
  }

  @Test
  void theFirstModuleThatAuthenticatesWins() {
    FakeModule a = module("a", NO);
    FakeModule b = module("b", ALICE);
    FakeModule c = module("c", BOB);
    AuthenticatorChain chain =
        AuthenticatorChain.of(
            List.of(
                ModuleAuthenticator.of(a), ModuleAuthenticator.of(b), ModuleAuthenticator.of(c)));

    AuthenticationResult result = chain.authenticate(TokenReview.forToken("t", null));

    assertThat(result.authenticated()).isTrue();
    assertThat(result.user().username()).isEqualTo("alice");
    assertThat(result.authenticatedBy()).isEqualTo("b");
    assertThat(a.calls()).isEqualTo(1);
    assertThat(b.calls()).isEqualTo(1);
    assertThat(c.calls()).isZero();
  }

  @Test
  void errorsDoNotStopTheChainAndASuccessWinsOverThem() {
    FakeModule broken = FakeModule.failing("broken", FailureReason.TRAP, "unreachable");
    FakeModule b = module("b", BOB);
    AuthenticatorChain chain =
        AuthenticatorChain.builder()
            .add(ModuleAuthenticator.of(broken))
            .add(ModuleAuthenticator.of(b))
            .build();

    AuthenticationResult result = chain.authenticate(TokenReview.forToken("t", null));

    assertThat(result.authenticated()).isTrue();
    assertThat(result.authenticatedBy()).isEqualTo("b");
    // as kube-apiserver's union authenticator: errors of earlier authenticators are dropped
    assertThat(result.errors()).isEmpty();
    assertThat(result.toStatus().error()).isNull();
  }

  @Test
  void whenNoneAuthenticatesEveryErrorIsReportedInOrder() {
    AuthenticatorChain chain =
        AuthenticatorChain.of(
            List.of(
                ModuleAuthenticator.of(FakeModule.failing("one", FailureReason.TIMEOUT, "slow")),
                ModuleAuthenticator.of(module("two", NO)),
                ModuleAuthenticator.of(
                    module("three", "{\"authenticated\":false,\"error\":\"revoked\"}"))));

    AuthenticationResult result = chain.authenticate(TokenReview.forToken("t", null));

    assertThat(result.authenticated()).isFalse();
    assertThat(result.user()).isNull();
    assertThat(result.authenticatedBy()).isNull();
    assertThat(result.errors())
        .containsExactly("module 'one': slow [TIMEOUT]", "module 'three': revoked");
    assertThat(result.errorMessage())
        .isEqualTo("module 'one': slow [TIMEOUT]; module 'three': revoked");
  }

  @Test
  void whenNoneAuthenticatesWithoutErrorsTheResultIsPlainUnauthenticated() {
    AuthenticatorChain chain =
        AuthenticatorChain.of(List.of(ModuleAuthenticator.of(module("a", NO))));

    AuthenticationResult result = chain.authenticate(TokenReview.forToken("t", null));

    assertThat(result.authenticated()).isFalse();
    assertThat(result.errors()).isEmpty();
    assertThat(result.errorMessage()).isNull();
  }

  @Test
  void anEmptyChainAuthenticatesNobody() {
    AuthenticationResult result =
        AuthenticatorChain.builder().build().authenticate(TokenReview.forToken("t", null));

    assertThat(result.authenticated()).isFalse();
    assertThat(result.errors()).isEmpty();
  }

  @Test
  void theAnswerEchoesV1beta1KeepsUnknownFieldsAndDropsTheToken() {
    byte[] beta = Resources.bytes("wire/tokenreview-v1beta1.json");
    TokenReview review = Json.read(beta, TokenReview.class);
    FakeModule module =
        module(
            "m",
            "{\"authenticated\":true,\"user\":{\"username\":\"u\",\"extra\":{\"k\":[\"v\"]}},"
                + "\"audiences\":[\"https://kubernetes.default.svc\"]}");
    AuthenticatorChain chain = AuthenticatorChain.of(List.of(ModuleAuthenticator.of(module)));

    TokenReview answer = chain.authenticate(review).respondTo(review);

    ObjectNode expected = (ObjectNode) Wire.tree(beta);
    ((ObjectNode) expected.get("spec")).remove("token");
    expected.set(
        "status",
        FakeModule.parse(
            "{\"authenticated\":true,\"user\":{\"username\":\"u\",\"extra\":{\"k\":[\"v\"]}},"
                + "\"audiences\":[\"https://kubernetes.default.svc\"]}"));
    assertThat(Wire.tree(Json.write(answer))).isEqualTo(expected);
    assertThat(module.onlyRequest().path("apiVersion").asText())
        .isEqualTo("authentication.k8s.io/v1");
  }

  @Test
  void aFailedAnswerCarriesTheErrorsAndNoUser() {
    TokenReview review = TokenReview.forToken("t", null).withApiVersion(TokenReview.V1BETA1);
    AuthenticatorChain chain =
        AuthenticatorChain.of(
            List.of(ModuleAuthenticator.of(FakeModule.failing("x", FailureReason.TRAP, "boom"))));

    JsonNode status = Json.toTree(chain.authenticate(review).respondTo(review)).path("status");

    assertThat(status)
        .isEqualTo(
            FakeModule.parse("{\"authenticated\":false,\"error\":\"module 'x': boom [TRAP]\"}"));
    assertThat(
            Json.toTree(chain.authenticate(review).respondTo(review)).path("apiVersion").asText())
        .isEqualTo(TokenReview.V1BETA1);
  }

  @Test
  void closingClosesEveryModuleEvenWhenOneFailsToClose() {
    FakeModule a = module("a", NO);
    FakeModule c = module("c", NO);
    List<String> closed = new ArrayList<>();
    class Failing implements Authenticator, AutoCloseable {
      @Override
      public AuthenticationResult authenticate(TokenReview review) {
        return AuthenticationResult.unauthenticated();
      }

      @Override
      public void close() {
        closed.add("failing");
        throw new IllegalStateException("cannot close");
      }
    }
    AuthenticatorChain chain =
        AuthenticatorChain.builder()
            .add(ModuleAuthenticator.of(a))
            .add(new Failing())
            .add(review -> AuthenticationResult.unauthenticated())
            .add(ModuleAuthenticator.of(c))
            .build();

    chain.close();

    assertThat(a.closeCount()).isEqualTo(1);
    assertThat(closed).containsExactly("failing");
    assertThat(c.closeCount()).isEqualTo(1);
    assertThat(chain.authenticators()).hasSize(4);
  }

  @Test
  void aClosedChainThrowsInsteadOfAnsweringNotAuthenticated() {
    FakeModule a = module("a", NO);
    AuthenticatorChain chain = AuthenticatorChain.builder().add(ModuleAuthenticator.of(a)).build();
    assertThat(chain.authenticate(TokenReview.forToken("t", List.of())).authenticated()).isFalse();

    chain.close();
    chain.close();

    assertThat(a.closeCount()).isEqualTo(1);
    assertThatThrownBy(() -> chain.authenticate(TokenReview.forToken("t", List.of())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the authenticator chain is closed; build a new one");
  }
}
