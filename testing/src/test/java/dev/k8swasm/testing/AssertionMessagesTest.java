package dev.k8swasm.testing;

import static dev.k8swasm.testing.WasmAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.authn.AuthenticationResult;
import dev.k8swasm.authn.UserInfo;
import dev.k8swasm.authz.AuthorizationDecision;
import dev.k8swasm.module.FailureReason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.opentest4j.AssertionFailedError;

/** What a failing assertion says: what differed, the request, the module's raw answer. */
class AssertionMessagesTest {
  private static Policy authenticator;
  private static Policy authorizer;
  private static Policy validator;
  private static Policy mutator;
  private static Policy failing;

  @BeforeAll
  static void load() {
    authenticator = Policy.load(Modules.AUTHENTICATOR);
    authorizer = Policy.load(Modules.AUTHORIZER);
    validator = Policy.load(Modules.VALIDATOR);
    mutator = Policy.builder(Modules.MUTATOR).mutating(true).load();
    failing = Policy.load(Modules.STDERR_THEN_EXIT1);
  }

  @AfterAll
  static void close() {
    Closing.all(List.of(authenticator, authorizer, validator, mutator, failing));
  }

  private static AssertionFailedError failureOf(Executable assertion) {
    AssertionFailedError e =
        catchThrowableOfType(AssertionFailedError.class, () -> assertion.execute());
    assertThat(e).as("the assertion should have failed").isNotNull();
    return e;
  }

  @Test
  void aWrongUserShowsExpectedAndActualAndTheRedactedRequestAndTheRawAnswer() {
    AssertionFailedError e =
        failureOf(
            () ->
                WasmAssertions.assertThat(authenticator.authenticate("magic-token"))
                    .isAuthenticatedAs("someone-else"));
    assertThat(e.getMessage())
        .contains("Expected the token to be authenticated as another user")
        .contains("expected: \"someone-else\"")
        .contains("but was:  \"magic-user\"")
        .contains("request (bearer tokens redacted)")
        .contains("\"token\" : \"<redacted>\"")
        .contains("module 'magic_authenticator' was given")
        .contains("and answered (raw response)")
        .contains("\"username\" : \"magic-user\"")
        .doesNotContain("magic-token");
    assertThat(e.getExpected().getValue()).isEqualTo("someone-else");
    assertThat(e.getActual().getValue()).isEqualTo("magic-user");
  }

  @Test
  void authenticationMessages() {
    assertThat(
            failureOf(
                    () ->
                        WasmAssertions.assertThat(authenticator.authenticate("x"))
                            .isAuthenticatedAs("magic-user"))
                .getMessage())
        .startsWith("Expected the token to be authenticated as \"magic-user\", but it was not");
    assertThat(
            failureOf(
                    () ->
                        WasmAssertions.assertThat(authenticator.authenticate("magic-token"))
                            .inGroups("magic-group", "admins"))
                .getMessage())
        .contains("but not in [\"admins\"]");
    assertThat(
            failureOf(
                    () ->
                        WasmAssertions.assertThat(authenticator.authenticate("magic-token"))
                            .isNotAuthenticated())
                .getMessage())
        .contains("it was authenticated as \"magic-user\" (uid \"0\", groups [\"magic-group\"])");
    assertThat(
            failureOf(
                    () ->
                        WasmAssertions.assertThat(
                                AuthenticationResult.authenticated(
                                    UserInfo.of("u", "1", List.of()), List.of(), "m"))
                            .withUid("2"))
                .getMessage())
        .isEqualTo("Expected another uid of the user\n  expected: \"2\"\n  but was:  \"1\"");
  }

  @Test
  void authorizationMessages() {
    AssertionFailedError e =
        failureOf(
            () ->
                WasmAssertions.assertThat(
                        authorizer.authorize(SubjectAccessReviews.user("u").resource("pods")))
                    .isAllowed());
    assertThat(e.getMessage())
        .startsWith("Expected the decision ALLOW, but it was NO_OPINION")
        .contains("\"resource\" : \"pods\"")
        .contains("module 'magic_authorizer' was given")
        .contains("\"allowed\" : false");
    assertThat(
            failureOf(
                    () ->
                        WasmAssertions.assertThat(AuthorizationDecision.allow("because", "m"))
                            .withReason("why not"))
                .getMessage())
        .isEqualTo("Expected another reason\n  expected: \"why not\"\n  but was:  \"because\"");
  }

  @Test
  void aChangedDenialMessageSaysWhatDiffered() {
    AssertionFailedError e =
        failureOf(
            () ->
                WasmAssertions.assertThat(
                        validator.admit(AdmissionReviews.create(Modules.FORBIDDEN_CONFIG_MAP)))
                    .isDenied()
                    .withMessage("value 'not-allowed-value' is not allowed in configmap"));
    assertThat(e.getMessage())
        .startsWith("Expected another status message")
        .contains("expected: \"value 'not-allowed-value' is not allowed in configmap\"")
        .contains("but was:  \"value 'not-allowed-value' not allowed in configmap\"")
        .contains("\"not-allowed-value\" : \"x\"")
        .contains("and answered (raw response)")
        .contains("\"code\" : 403");
  }

  @Test
  void anUnexpectedDenialShowsTheStatus() {
    AssertionFailedError e =
        failureOf(
            () ->
                WasmAssertions.assertThat(
                        validator.admit(AdmissionReviews.create(Modules.FORBIDDEN_CONFIG_MAP)))
                    .isAllowed());
    assertThat(e.getMessage())
        .startsWith(
            "Expected the request to be allowed, but it was denied with code 403 and message"
                + " \"value 'not-allowed-value' not allowed in configmap\"");
  }

  @Test
  void aDifferentMutationListsTheDifferences() {
    AssertionFailedError e =
        failureOf(
            () ->
                WasmAssertions.assertThat(
                        mutator.admit(AdmissionReviews.create(Modules.CONFIG_MAP)))
                    .mutates()
                    .to(
                        """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata: {name: settings, namespace: shop, labels: {a: b}}
                        data: {colour: red, magic-value: foobaz}
                        """));
    assertThat(e.getMessage())
        .startsWith("Expected the mutated object to be different:")
        .contains("/metadata/labels: missing (expected {\"a\":\"b\"})")
        .contains("/data/colour: expected \"red\" but was \"blue\"")
        .contains("/data/magic-value: expected \"foobaz\" but was \"foobar\"");
    assertThat(e.isExpectedDefined()).isTrue();
    assertThat((String) e.getActual().getValue()).contains("\"magic-value\" : \"foobar\"");
  }

  @Test
  void differentPatchOperationsAreListed() {
    AssertionFailedError e =
        failureOf(
            () ->
                WasmAssertions.assertThat(
                        mutator.admit(AdmissionReviews.create(Modules.CONFIG_MAP)))
                    .mutates()
                    .withPatchOperations("{op: add, path: /data/other, value: foobar}"));
    assertThat(e.getMessage())
        .contains("missing:    {\"op\":\"add\",\"path\":\"/data/other\",\"value\":\"foobar\"}")
        .contains(
            "unexpected: {\"op\":\"add\",\"path\":\"/data/magic-value\",\"value\":\"foobar\"}");
    assertThat(
            failureOf(
                    () ->
                        WasmAssertions.assertThat(
                                mutator.admit(AdmissionReviews.create(Modules.CONFIG_MAP)))
                            .doesNotMutate())
                .getMessage())
        .contains("Expected the object not to be mutated, but the response has the patch")
        .contains("\"path\" : \"/data/magic-value\"");
    assertThat(
            failureOf(
                    () ->
                        WasmAssertions.assertThat(
                                validator.admit(AdmissionReviews.create(Modules.CONFIG_MAP)))
                            .mutates())
                .getMessage())
        .startsWith("Expected the object to be mutated, but the response has no patch");
  }

  @Test
  void aFailedModuleShowsItsStderr() {
    AssertionFailedError e =
        failureOf(
            () ->
                WasmAssertions.assertThat(
                        failing.admit(AdmissionReviews.create(Modules.CONFIG_MAP)))
                    .isAllowed());
    assertThat(e.getMessage())
        .startsWith(
            "Expected the request to be allowed, but the module failed: module"
                + " 'stderr_then_exit1': exited with code 1")
        .contains("stderr: something went wrong on stderr [EXIT_CODE]")
        .contains("module 'stderr_then_exit1' was given")
        .contains("and failed [EXIT_CODE]");
    assertThat(
            failureOf(
                    () ->
                        WasmAssertions.assertThat(
                                failing.admit(AdmissionReviews.create(Modules.CONFIG_MAP)))
                            .failsWith(FailureReason.TIMEOUT))
                .getMessage())
        .contains("expected: TIMEOUT")
        .contains("but was:  EXIT_CODE");
  }

  @Test
  void warningsAndAnnotations() {
    AdmissionReview answered =
        AdmissionReviews.create(Modules.CONFIG_MAP)
            .build()
            .withResponse(
                AdmissionResponse.allow("u")
                    .withWarningsAndAnnotations(List.of("careful"), Map.of("k", "v")));
    WasmAssertions.assertThat(answered)
        .isAllowed()
        .hasWarnings("careful")
        .hasWarningContaining("care")
        .hasAuditAnnotation("k", "v");
    assertThat(
            failureOf(() -> WasmAssertions.assertThat(answered).hasWarnings("other")).getMessage())
        .startsWith(
            "Expected other warnings\n  expected: [other]\n  but was:  [careful]\n\nrequest")
        .doesNotContain("no module was called");
    assertThat(
            failureOf(() -> WasmAssertions.assertThat(answered).hasAuditAnnotation("k", "w"))
                .getMessage())
        .startsWith("Expected another value of the audit annotation \"k\"");
    assertThat(
            failureOf(() -> WasmAssertions.assertThat(answered).hasAuditAnnotation("x", "v"))
                .getMessage())
        .startsWith("Expected the audit annotation \"x\", but there is none; annotations: {k=v}");
    assertThat(failureOf(() -> WasmAssertions.assertThat(answered).isDenied()).getMessage())
        .startsWith("Expected the request to be denied, but it was allowed");
  }

  @Test
  void longDocumentsAreCut() {
    String big = "x".repeat(20_000);
    AssertionFailedError e =
        failureOf(
            () ->
                WasmAssertions.assertThat(
                        validator.admit(
                            AdmissionReviews.create(
                                Map.of(
                                    "apiVersion",
                                    "v1",
                                    "kind",
                                    "ConfigMap",
                                    "data",
                                    Map.of("big", big)))))
                    .isDenied());
    assertThat(e.getMessage()).contains("more characters)").hasSizeLessThan(3 * Texts.MAX_QUOTE);
  }
}
