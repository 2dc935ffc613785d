package dev.k8swasm.testing;

import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.authn.AuthenticationResult;
import dev.k8swasm.authz.AuthorizationDecision;
import java.util.List;
import java.util.Objects;

/**
 * Entry point of the fluent assertions on authentication, authorization and admission results.
 *
 * <pre>{@code
 * import static dev.k8swasm.testing.WasmAssertions.assertThat;
 *
 * assertThat(policy.authenticate("magic-token")).isAuthenticatedAs("magic-user");
 * assertThat(policy.authorize(review)).isAllowed();
 * assertThat(policy.admit(review)).isDenied().withCode(403);
 * }</pre>
 *
 * A failing assertion throws an {@link org.opentest4j.AssertionFailedError} (which IDEs show as a
 * comparison) whose message says what differed, then shows the request (bearer tokens redacted)
 * and, for results obtained through {@link Policy} or {@link PolicyChain}, what each module was
 * given and answered, raw, or how it failed (with its stderr, as the runtime reports it). Results
 * of the library's own interfaces can be checked too, without that evidence.
 *
 * <p>No assertion library is needed: these work with plain JUnit 5 and mix with AssertJ or
 * Hamcrest.
 */
public final class WasmAssertions {
  private WasmAssertions() {}

  /** Checks an authentication made with {@link Policy} or {@link PolicyChain}. */
  public static AuthenticationAssert assertThat(AuthenticationOutcome outcome) {
    Objects.requireNonNull(outcome, "outcome");
    return new AuthenticationAssert(outcome.result(), outcome.evidence());
  }

  /** Checks an {@link dev.k8swasm.authn.Authenticator}'s result. */
  public static AuthenticationAssert assertThat(AuthenticationResult result) {
    return new AuthenticationAssert(result, Evidence.NONE);
  }

  /** Checks an authorization made with {@link Policy} or {@link PolicyChain}. */
  public static AuthorizationAssert assertThat(AuthorizationOutcome outcome) {
    Objects.requireNonNull(outcome, "outcome");
    return new AuthorizationAssert(outcome.decision(), outcome.evidence());
  }

  /** Checks an {@link dev.k8swasm.authz.Authorizer}'s decision. */
  public static AuthorizationAssert assertThat(AuthorizationDecision decision) {
    return new AuthorizationAssert(decision, Evidence.NONE);
  }

  /** Checks an admission made with {@link Policy} or {@link PolicyChain}. */
  public static AdmissionAssert assertThat(AdmissionOutcome outcome) {
    return new AdmissionAssert(Objects.requireNonNull(outcome, "outcome"));
  }

  /**
   * Checks a review answered by an {@link dev.k8swasm.admission.AdmissionController} (it must still
   * hold its request, as the library's controllers' answers do).
   */
  public static AdmissionAssert assertThat(AdmissionReview answered) {
    Objects.requireNonNull(answered, "answered");
    if (answered.request() == null) {
      throw new IllegalArgumentException(
          "the AdmissionReview holds no request: pass the review returned by admit(...)");
    }
    return new AdmissionAssert(
        new AdmissionOutcome(answered.withResponse(null), answered, null, List.of(), false));
  }
}
