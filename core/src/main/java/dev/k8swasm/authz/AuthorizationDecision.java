package dev.k8swasm.authz;

import java.util.Objects;

/**
 * An authorization decision with its reason and any error met while deciding.
 *
 * @param decision allow, deny or no opinion
 * @param reason why, for the audit log and the user (may be empty)
 * @param evaluationError the error(s) met, or null
 * @param decidedBy the module that allowed or denied, or null
 */
public record AuthorizationDecision(
    Decision decision, String reason, String evaluationError, String decidedBy) {

  /** The three possible decisions. */
  public enum Decision {
    ALLOW,
    DENY,
    NO_OPINION
  }

  public AuthorizationDecision {
    Objects.requireNonNull(decision, "decision");
    reason = reason == null ? "" : reason;
  }

  /** Allowed by {@code module}. */
  public static AuthorizationDecision allow(String reason, String module) {
    return new AuthorizationDecision(Decision.ALLOW, reason, null, module);
  }

  /** Denied by {@code module}. */
  public static AuthorizationDecision deny(String reason, String module) {
    return new AuthorizationDecision(Decision.DENY, reason, null, module);
  }

  /** No opinion. */
  public static AuthorizationDecision noOpinion(String reason) {
    return new AuthorizationDecision(Decision.NO_OPINION, reason, null, null);
  }

  /** Whether the request is allowed: {@code decision() == ALLOW} (deny and no opinion are not). */
  public boolean allowed() {
    return decision == Decision.ALLOW;
  }

  /** A copy carrying {@code evaluationError}. */
  public AuthorizationDecision withError(String evaluationError) {
    return new AuthorizationDecision(decision, reason, evaluationError, decidedBy);
  }

  /** The Kubernetes status for this decision. */
  public SubjectAccessReviewStatus toStatus() {
    boolean allowed = decision == Decision.ALLOW;
    Boolean denied = decision == Decision.DENY ? Boolean.TRUE : null;
    return new SubjectAccessReviewStatus(
        allowed, denied, reason.isEmpty() ? null : reason, evaluationError, null);
  }

  /** {@code request} answered with this decision, keeping its apiVersion and fields. */
  public SubjectAccessReview respondTo(SubjectAccessReview request) {
    return request.withStatus(toStatus());
  }
}
