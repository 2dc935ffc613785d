package dev.k8swasm.testing;

import dev.k8swasm.authz.AuthorizationDecision;
import dev.k8swasm.authz.AuthorizationDecision.Decision;
import java.util.Objects;

/**
 * Checks an authorization decision.
 *
 * <pre>{@code
 * assertThat(policy.authorize(review)).isAllowed().withReason("magic-group may access configmaps");
 * assertThat(policy.authorize(other)).hasNoOpinion().hasNoEvaluationError();
 * }</pre>
 */
public final class AuthorizationAssert extends AbstractAssert {
  private final AuthorizationDecision actual;

  AuthorizationAssert(AuthorizationDecision actual, Evidence evidence) {
    super(evidence);
    this.actual = Objects.requireNonNull(actual, "actual");
  }

  /** The decision under test. */
  public AuthorizationDecision decision() {
    return actual;
  }

  /** The request is allowed. */
  public AuthorizationAssert isAllowed() {
    return is(Decision.ALLOW);
  }

  /** The request is denied. */
  public AuthorizationAssert isDenied() {
    return is(Decision.DENY);
  }

  /** The authorizer has no opinion (the next authorizer would be asked). */
  public AuthorizationAssert hasNoOpinion() {
    return is(Decision.NO_OPINION);
  }

  private AuthorizationAssert is(Decision expected) {
    if (actual.decision() != expected) {
      throw failure(
          "Expected the decision "
              + expected
              + ", but it was "
              + actual.decision()
              + (actual.reason().isEmpty() ? "" : " with reason " + Texts.quote(actual.reason()))
              + (actual.evaluationError() == null
                  ? ""
                  : "; evaluation error: " + actual.evaluationError()),
          expected,
          actual.decision());
    }
    return this;
  }

  /** The reason is exactly {@code reason}. */
  public AuthorizationAssert withReason(String reason) {
    if (!Objects.equals(reason, actual.reason())) {
      throw failure("Expected another reason", reason, actual.reason());
    }
    return this;
  }

  /** The reason contains {@code text}. */
  public AuthorizationAssert withReasonContaining(String text) {
    if (!actual.reason().contains(text)) {
      throw failure("Expected a reason containing " + Texts.quote(text), text, actual.reason());
    }
    return this;
  }

  /** An evaluation error occurred whose message contains {@code text}. */
  public AuthorizationAssert hasEvaluationErrorContaining(String text) {
    String error = actual.evaluationError();
    if (error == null || !error.contains(text)) {
      throw failure(
          "Expected an evaluation error containing " + Texts.quote(text),
          text,
          error == null ? "no evaluation error" : error);
    }
    return this;
  }

  /** No evaluation error occurred. */
  public AuthorizationAssert hasNoEvaluationError() {
    if (actual.evaluationError() != null) {
      throw failure("Expected no evaluation error, but got: " + actual.evaluationError());
    }
    return this;
  }

  /** The module that allowed or denied is {@code module}. */
  public AuthorizationAssert decidedBy(String module) {
    if (!Objects.equals(module, actual.decidedBy())) {
      throw failure(
          "Expected the decision to come from another module", module, actual.decidedBy());
    }
    return this;
  }
}
