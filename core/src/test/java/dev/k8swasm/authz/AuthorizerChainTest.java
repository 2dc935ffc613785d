package dev.k8swasm.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.authz.AuthorizationDecision.Decision;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.testing.FakeModule;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthorizerChainTest {

  static ModuleAuthorizer says(String name, String status) {
    return ModuleAuthorizer.of(ModuleAuthorizerTest.answering(name, status));
  }

  @Test
  void theFirstAllowWinsWithItsReasonAndLaterAuthorizersAreNotAsked() {
    FakeModule later = ModuleAuthorizerTest.answering("later", "{\"denied\":true}");
    AuthorizerChain chain =
        AuthorizerChain.of(
            List.of(
                says("a", "{\"allowed\":false,\"reason\":\"not a\"}"),
                says("b", "{\"allowed\":true,\"reason\":\"b allows\",\"evaluationError\":\"w\"}"),
                ModuleAuthorizer.of(later)));

    AuthorizationDecision decision = chain.authorize(ModuleAuthorizerTest.review());

    assertThat(decision.decision()).isEqualTo(Decision.ALLOW);
    assertThat(decision.reason()).isEqualTo("b allows");
    assertThat(decision.evaluationError()).isEqualTo("module 'b': w");
    assertThat(decision.decidedBy()).isEqualTo("b");
    assertThat(later.calls()).isZero();
  }

  @Test
  void theFirstDenyWinsEvenAfterErrors() {
    AuthorizerChain chain =
        AuthorizerChain.builder()
            .add(ModuleAuthorizer.of(FakeModule.failing("x", FailureReason.TRAP, "t")))
            .add(says("d", "{\"denied\":true,\"reason\":\"forbidden\"}"))
            .add(says("a", "{\"allowed\":true}"))
            .build();

    AuthorizationDecision decision = chain.authorize(ModuleAuthorizerTest.review());

    assertThat(decision.decision()).isEqualTo(Decision.DENY);
    assertThat(decision.reason()).isEqualTo("forbidden");
    assertThat(decision.decidedBy()).isEqualTo("d");
    // as kube-apiserver's union authorizer: only the deciding authorizer's error is returned
    assertThat(decision.evaluationError()).isNull();
  }

  @Test
  void aDenyingFailurePolicyStopsTheChain() {
    AuthorizerChain chain =
        AuthorizerChain.builder()
            .add(
                ModuleAuthorizer.builder(FakeModule.failing("x", FailureReason.TIMEOUT, "slow"))
                    .failurePolicy(AuthorizationFailurePolicy.DENY)
                    .build())
            .add(says("a", "{\"allowed\":true}"))
            .build();

    AuthorizationDecision decision = chain.authorize(ModuleAuthorizerTest.review());

    assertThat(decision.decision()).isEqualTo(Decision.DENY);
    assertThat(decision.evaluationError()).isEqualTo("module 'x': slow [TIMEOUT]");
  }

  @Test
  void whenNobodyHasAnOpinionReasonsAreJoinedByNewlinesAndErrorsCollected() {
    AuthorizerChain chain =
        AuthorizerChain.builder()
            .add(says("a", "{\"allowed\":false,\"reason\":\"first\"}"))
            .add(ModuleAuthorizer.of(FakeModule.failing("x", FailureReason.TRAP, "t")))
            .add(says("b", "{\"allowed\":false}"))
            .add(says("c", "{\"allowed\":false,\"reason\":\"third\",\"evaluationError\":\"e\"}"))
            .build();

    AuthorizationDecision decision = chain.authorize(ModuleAuthorizerTest.review());

    assertThat(decision.decision()).isEqualTo(Decision.NO_OPINION);
    assertThat(decision.reason()).isEqualTo("first\nthird");
    assertThat(decision.evaluationError()).isEqualTo("module 'x': t [TRAP]; module 'c': e");
    assertThat(decision.decidedBy()).isNull();
  }

  @Test
  void noOpinionWithoutErrorsHasNoError() {
    AuthorizationDecision decision =
        AuthorizerChain.of(List.of(says("a", "{}"), says("b", "{}")))
            .authorize(ModuleAuthorizerTest.review());

    assertThat(decision.decision()).isEqualTo(Decision.NO_OPINION);
    assertThat(decision.reason()).isEmpty();
    assertThat(decision.evaluationError()).isNull();
  }

  @Test
  void anEmptyChainHasNoOpinion() {
    AuthorizationDecision decision =
        AuthorizerChain.builder().build().authorize(ModuleAuthorizerTest.review());

    assertThat(decision.decision()).isEqualTo(Decision.NO_OPINION);
    assertThat(decision.toStatus())
        .isEqualTo(new SubjectAccessReviewStatus(false, null, null, null, null));
  }

  @Test
  void statusesOfTheThreeDecisions() {
    assertThat(Json.toTree(AuthorizationDecision.allow("r", "m").toStatus()))
        .isEqualTo(FakeModule.parse("{\"allowed\":true,\"reason\":\"r\"}"));
    assertThat(Json.toTree(AuthorizationDecision.deny("", "m").withError("e").toStatus()))
        .isEqualTo(
            FakeModule.parse("{\"allowed\":false,\"denied\":true,\"evaluationError\":\"e\"}"));
    assertThat(Json.toTree(AuthorizationDecision.noOpinion(null).toStatus()))
        .isEqualTo(FakeModule.parse("{\"allowed\":false}"));
  }

  @Test
  void closingClosesEveryModule() {
    FakeModule a = ModuleAuthorizerTest.answering("a", "{}");
    FakeModule b = ModuleAuthorizerTest.answering("b", "{}");
    AuthorizerChain chain =
        AuthorizerChain.builder()
            .add(ModuleAuthorizer.of(a))
            .add(review -> AuthorizationDecision.noOpinion(""))
            .add(ModuleAuthorizer.of(b))
            .build();

    chain.close();

    assertThat(a.closeCount()).isEqualTo(1);
    assertThat(b.closeCount()).isEqualTo(1);
    assertThat(chain.authorizers()).hasSize(3);
  }

  @Test
  void aClosedChainThrowsInsteadOfDeciding() {
    AuthorizerChain chain =
        AuthorizerChain.builder().add(review -> AuthorizationDecision.allow("", "x")).build();
    SubjectAccessReview review =
        SubjectAccessReview.builder()
            .user("u")
            .nonResourceAttributes(NonResourceAttributes.of("get", "/healthz"))
            .build();
    assertThat(chain.authorize(review).allowed()).isTrue();

    chain.close();

    assertThatThrownBy(() -> chain.authorize(review))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the authorizer chain is closed; build a new one");
  }
}
