package dev.k8swasm.authz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.authz.AuthorizationDecision.Decision;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ReviewKind;
import dev.k8swasm.observe.Evaluation;
import dev.k8swasm.testing.FakeModule;
import dev.k8swasm.testing.RecordingListener;
import dev.k8swasm.testing.Resources;
import dev.k8swasm.testing.Wire;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ModuleAuthorizerTest {

  static FakeModule answering(String name, String statusJson) {
    return FakeModule.returning(
        name,
        "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\","
            + "\"status\":"
            + statusJson
            + "}");
  }

  static SubjectAccessReview review() {
    return SubjectAccessReview.of(
        new SubjectAccessReviewSpec(
            ResourceAttributes.of("list", "", "pods", "default"),
            null,
            "magic-user",
            List.of("magic-group", "system:authenticated"),
            null,
            null,
            null,
            null));
  }

  static Stream<Arguments> statuses() {
    return Stream.of(
        Arguments.of("{\"allowed\":true,\"reason\":\"ok\"}", Decision.ALLOW, "ok", null, "m"),
        Arguments.of(
            "{\"allowed\":false,\"denied\":true,\"reason\":\"no\"}",
            Decision.DENY,
            "no",
            null,
            "m"),
        Arguments.of(
            "{\"allowed\":true,\"denied\":true,\"reason\":\"confused\"}",
            Decision.DENY,
            "confused",
            "module 'm' returned both allow and deny",
            "m"),
        Arguments.of(
            "{\"allowed\":false,\"reason\":\"not mine\"}",
            Decision.NO_OPINION,
            "not mine",
            null,
            null),
        Arguments.of("{\"allowed\":false,\"denied\":false}", Decision.NO_OPINION, "", null, null),
        Arguments.of("{}", Decision.NO_OPINION, "", null, null),
        Arguments.of(
            "{\"allowed\":false,\"evaluationError\":\"cache cold\"}",
            Decision.NO_OPINION,
            "",
            "module 'm': cache cold",
            null),
        Arguments.of(
            "{\"allowed\":true,\"evaluationError\":\"partial\"}",
            Decision.ALLOW,
            "",
            "module 'm': partial",
            "m"),
        Arguments.of(
            "{\"denied\":true,\"evaluationError\":\"partial\"}",
            Decision.DENY,
            "",
            "module 'm': partial",
            "m"),
        Arguments.of(
            "{\"allowed\":true,\"denied\":true,\"evaluationError\":\"and this\"}",
            Decision.DENY,
            "",
            "module 'm' returned both allow and deny; module 'm': and this",
            "m"),
        Arguments.of(
            "{\"allowed\":false,\"evaluationError\":\"\"}", Decision.NO_OPINION, "", null, null));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("statuses")
  void statusesMapAsKubernetesMapsAWebhooksAnswer(
      String status, Decision decision, String reason, String error, String decidedBy) {
    AuthorizationDecision result = ModuleAuthorizer.of(answering("m", status)).authorize(review());

    assertThat(result.decision()).isEqualTo(decision);
    assertThat(result.reason()).isEqualTo(reason);
    assertThat(result.evaluationError()).isEqualTo(error);
    assertThat(result.decidedBy()).isEqualTo(decidedBy);
  }

  @Test
  void aFailingModuleHasNoOpinionByDefault() {
    AuthorizationDecision result =
        ModuleAuthorizer.of(FakeModule.failing("m", FailureReason.TRAP, "unreachable"))
            .authorize(review());

    assertThat(result.decision()).isEqualTo(Decision.NO_OPINION);
    assertThat(result.evaluationError()).isEqualTo("module 'm': unreachable [TRAP]");
    assertThat(result.decidedBy()).isNull();
  }

  @Test
  void aFailingModuleDeniesWithFailurePolicyDeny() {
    AuthorizationDecision result =
        ModuleAuthorizer.builder(FakeModule.failing("m", FailureReason.TIMEOUT, "slow"))
            .failurePolicy(AuthorizationFailurePolicy.DENY)
            .build()
            .authorize(review());

    assertThat(result.decision()).isEqualTo(Decision.DENY);
    assertThat(result.evaluationError()).isEqualTo("module 'm': slow [TIMEOUT]");
    assertThat(result.decidedBy()).isEqualTo("m");
  }

  @Test
  void failurePolicyDoesNotTouchAnswers() {
    AuthorizationDecision result =
        ModuleAuthorizer.builder(answering("m", "{\"allowed\":false}"))
            .failurePolicy(AuthorizationFailurePolicy.DENY)
            .build()
            .authorize(review());

    assertThat(result.decision()).isEqualTo(Decision.NO_OPINION);
    assertThat(result.evaluationError()).isNull();
  }

  @Test
  void badOutputIsAFailureSubjectToTheFailurePolicy() {
    for (String response :
        List.of(
            "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\"}",
            "{\"status\":[true]}")) {
      AuthorizationDecision noOpinion =
          ModuleAuthorizer.of(FakeModule.returning("m", response)).authorize(review());
      AuthorizationDecision deny =
          ModuleAuthorizer.builder(FakeModule.returning("m", response))
              .failurePolicy(AuthorizationFailurePolicy.DENY)
              .build()
              .authorize(review());

      assertThat(noOpinion.decision()).as(response).isEqualTo(Decision.NO_OPINION);
      assertThat(noOpinion.evaluationError()).as(response).contains("module 'm'", "BAD_OUTPUT");
      assertThat(deny.decision()).as(response).isEqualTo(Decision.DENY);
    }
  }

  @Test
  void anAnswerThatIsNotASubjectAccessReviewSaysSo() {
    AuthorizationDecision result =
        ModuleAuthorizer.of(FakeModule.returning("m", "{\"status\":[true]}")).authorize(review());

    assertThat(result.evaluationError())
        .contains("response is not a SubjectAccessReview", "BAD_OUTPUT");
  }

  @Test
  void v1beta1GroupIsSentAsGroupsInTheV1FormAndTheApiVersionIsEchoed() {
    byte[] beta = Resources.bytes("wire/subjectaccessreview-v1beta1.json");
    SubjectAccessReview review = Json.read(beta, SubjectAccessReview.class);
    FakeModule module = answering("m", "{\"allowed\":true,\"reason\":\"magic\"}");

    AuthorizationDecision decision = ModuleAuthorizer.of(module).authorize(review);

    ObjectNode expected = (ObjectNode) Wire.tree(beta);
    expected.put("apiVersion", "authorization.k8s.io/v1").remove("status");
    ObjectNode spec = (ObjectNode) expected.get("spec");
    spec.set("groups", spec.remove("group"));
    assertThat(module.onlyRequest()).isEqualTo(expected);

    SubjectAccessReview answer = decision.respondTo(review);
    ObjectNode expectedAnswer = (ObjectNode) Wire.tree(beta);
    expectedAnswer.set("status", FakeModule.parse("{\"allowed\":true,\"reason\":\"magic\"}"));
    assertThat(Json.toTree(answer)).isEqualTo(expectedAnswer);
  }

  @Test
  void aV1RequestIsSentUnchangedButWithoutStatus() {
    byte[] v1 = Resources.bytes("wire/subjectaccessreview-v1-resource.json");
    FakeModule module = answering("m", "{\"allowed\":false}");

    ModuleAuthorizer.of(module).authorize(Json.read(v1, SubjectAccessReview.class));

    ObjectNode expected = (ObjectNode) Wire.tree(v1);
    expected.remove("status");
    assertThat(module.onlyRequest()).isEqualTo(expected);
  }

  @Test
  void theListenerReceivesEveryDecision() {
    RecordingListener listener = new RecordingListener();
    for (String status : List.of("{\"allowed\":true}", "{\"denied\":true}", "{}")) {
      ModuleAuthorizer.builder(answering("m", status))
          .listener(listener)
          .build()
          .authorize(review());
    }
    ModuleAuthorizer.builder(FakeModule.failing("f", FailureReason.OUTPUT_LIMIT, "too much"))
        .listener(listener)
        .build()
        .authorize(review());

    assertThat(listener.evaluations())
        .extracting(Evaluation::decisionLabel)
        .containsExactly("allow", "deny", "no-opinion", "error");
    assertThat(listener.evaluations()).allMatch(e -> e.kind() == ReviewKind.AUTHORIZATION);
    assertThat(listener.evaluations().get(3).failure()).contains(FailureReason.OUTPUT_LIMIT);
    assertThat(listener.evaluations().get(0).failure()).isEmpty();
  }

  @Test
  void closingClosesTheModule() {
    FakeModule module = answering("m", "{}");
    ModuleAuthorizer authorizer = ModuleAuthorizer.of(module);

    authorizer.close();

    assertThat(module.closeCount()).isEqualTo(1);
    assertThat(authorizer.name()).isEqualTo("m");
    assertThat(authorizer.toString()).contains("m");
  }
}
