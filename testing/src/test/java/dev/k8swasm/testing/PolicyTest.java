package dev.k8swasm.testing;

import static dev.k8swasm.testing.WasmAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ReviewKind;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class PolicyTest {

  @Test
  void authenticates() {
    try (Policy policy = Policy.load(Modules.AUTHENTICATOR)) {
      Assertions.assertThat(policy.name()).isEqualTo("magic_authenticator");
      assertThat(policy.authenticate("magic-token"))
          .isAuthenticated()
          .isAuthenticatedAs("magic-user")
          .inGroups("magic-group")
          .inExactlyGroups("magic-group")
          .withUid("0")
          .authenticatedBy("magic_authenticator")
          .hasNoErrors();
      assertThat(policy.authenticate(TokenReviews.forToken("magic-token").audiences("api")))
          .isAuthenticatedAs("magic-user")
          .withAudiences("api");
      assertThat(policy.authenticate("nope")).isNotAuthenticated().hasNoErrors();
    }
  }

  @Test
  void authorizes() {
    try (Policy policy = Policy.load(Modules.AUTHORIZER)) {
      assertThat(
              policy.authorize(
                  SubjectAccessReviews.user("u")
                      .groups("magic-group")
                      .verb("list")
                      .resource("configmaps")))
          .isAllowed()
          .withReason("magic-group may access configmaps")
          .withReasonContaining("magic-group")
          .decidedBy("magic_authorizer")
          .hasNoEvaluationError();
      assertThat(policy.authorize(SubjectAccessReviews.user("u").resource("configmaps")))
          .hasNoOpinion()
          .withReason("");
    }
  }

  @Test
  void validates() {
    try (Policy policy = Policy.load(Modules.VALIDATOR)) {
      assertThat(policy.admit(AdmissionReviews.create(Modules.CONFIG_MAP)))
          .isAllowed()
          .doesNotMutate()
          .hasNoWarnings()
          .hasNoAuditAnnotations();
      assertThat(policy.admit(AdmissionReviews.create(Modules.FORBIDDEN_CONFIG_MAP)))
          .isDenied()
          .withMessage("value 'not-allowed-value' not allowed in configmap")
          .withMessageContaining("not allowed")
          .withCode(403);
      assertThat(policy.admit(Fixtures.admissionReview("fixtures/bare-request.yaml"))).isDenied();
      // a request without uid gets one, as from kube-apiserver
      AdmissionOutcome noUid =
          policy.admit(AdmissionReviews.create(Modules.CONFIG_MAP).build().request().withUid(null));
      assertThat(noUid).isAllowed();
      Assertions.assertThat(noUid.request().request().uid()).isNotBlank();
    }
  }

  @Test
  void mutates() {
    try (Policy policy = Policy.builder(Modules.MUTATOR).mutating(true).load()) {
      Assertions.assertThat(policy.mutating()).isTrue();
      AdmissionOutcome outcome = policy.admit(AdmissionReviews.create(Modules.CONFIG_MAP));
      assertThat(outcome)
          .isAllowed()
          .mutates()
          .setting("/data/magic-value", "foobar")
          .setting("/data/colour", "blue")
          .removing("/data/nothing")
          .withPatchOperations("{op: add, path: /data/magic-value, value: foobar}")
          .withPatchOperationsInOrder(
              Map.of("op", "add", "path", "/data/magic-value", "value", "foobar"))
          .to(
              """
              apiVersion: v1
              kind: ConfigMap
              metadata: {name: settings, namespace: shop}
              data: {colour: blue, magic-value: foobar}
              """)
          .and()
          .hasNoWarnings();
      Assertions.assertThat(outcome.calls()).hasSize(1);
      ModuleCall call = outcome.calls().get(0);
      Assertions.assertThat(call.module()).isEqualTo("magic_mutator");
      Assertions.assertThat(call.kind()).isEqualTo(ReviewKind.ADMISSION);
      Assertions.assertThat(call.input()).contains("\"colour\" : \"blue\"");
      Assertions.assertThat(call.output().orElseThrow().path("response").path("patchType").asText())
          .isEqualTo("Full");
      Assertions.assertThat(call.failure()).isEmpty();
    }
  }

  @Test
  void aValidatingPolicyMayNotMutate() {
    try (Policy policy = Policy.load(Modules.MUTATOR)) {
      assertThat(policy.admit(AdmissionReviews.create(Modules.CONFIG_MAP)))
          .hasFailed()
          .failsWith(FailureReason.BAD_OUTPUT)
          .failsWithMessageContaining("a validating module may not return a patch");
    }
  }

  @Test
  void moduleFailuresAreRecorded() {
    try (Policy policy =
        Policy.builder(Modules.STDERR_THEN_EXIT1).timeout(Duration.ofSeconds(30)).load()) {
      AdmissionOutcome outcome = policy.admit(AdmissionReviews.create(Modules.CONFIG_MAP));
      assertThat(outcome).failsWith(FailureReason.EXIT_CODE).failsWithMessageContaining("stderr");
      Assertions.assertThat(outcome.calls())
          .singleElement()
          .satisfies(
              c -> {
                Assertions.assertThat(c.output()).isEmpty();
                Assertions.assertThat(c.failure().orElseThrow().getMessage())
                    .contains("something went wrong on stderr");
              });
      // authentication and authorization fold module failures into the result
      assertThat(policy.authenticate("t"))
          .isNotAuthenticated()
          .hasErrorContaining("exited with code 1");
      assertThat(policy.authorize(SubjectAccessReviews.user("u").resource("pods")))
          .hasNoOpinion()
          .hasEvaluationErrorContaining("something went wrong on stderr");
    }
  }

  @Test
  void settingsAndNamesAreApplied() {
    try (Policy policy =
        Policy.builder(Modules.VALIDATOR).name("my-validator").settings("{any: thing}").load()) {
      Assertions.assertThat(policy.name()).isEqualTo("my-validator");
      AdmissionOutcome outcome = policy.admit(AdmissionReviews.create(Modules.CONFIG_MAP));
      Assertions.assertThat(outcome.calls().get(0).module()).isEqualTo("my-validator");
    }
  }

  @Test
  void loadingProblemsAreClear() {
    assertThatThrownBy(() -> Policy.load("no/such/module.wasm"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'no/such/module.wasm' not found");
    assertThatThrownBy(() -> Policy.load("../examples/modules/hostile/not_wasm.wasm"))
        .isInstanceOf(ModuleException.class)
        .satisfies(
            e ->
                Assertions.assertThat(((ModuleException) e).reason())
                    .isEqualTo(FailureReason.LOAD_FAILED));
    assertThatThrownBy(() -> Policy.builder(Modules.VALIDATOR).type("nosuchtype").load())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no runtime for module type 'nosuchtype'");
  }

  @Test
  void aClosedPolicyFailsClearly() {
    Policy policy = Policy.load(Modules.VALIDATOR);
    policy.close();
    assertThat(policy.admit(AdmissionReviews.create(Modules.CONFIG_MAP)))
        .failsWith(FailureReason.CLOSED);
  }
}
