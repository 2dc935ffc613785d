package dev.k8swasm.observe;

import dev.k8swasm.module.ReviewKind;

/** What one module evaluation decided, as reported in an {@link Evaluation}. */
public enum EvaluationDecision {
  /** Authentication: the token was recognised. */
  AUTHENTICATED,
  /** Authentication: the token was not recognised. */
  UNAUTHENTICATED,
  /** Authorization or admission: the request is allowed. */
  ALLOW,
  /** Authorization or admission: the request is denied. */
  DENY,
  /** Authorization: the module has no opinion. */
  NO_OPINION,
  /** The module failed to answer (see {@link Evaluation#failure()}). */
  ERROR;

  /**
   * The decision's label in metrics and logs for a review of {@code kind}: lower case, {@code
   * no-opinion}; for admission {@code allowed} and {@code denied}, the words of Kubernetes'
   * admission metrics, else {@code allow} and {@code deny}.
   */
  public String label(ReviewKind kind) {
    return switch (this) {
      case AUTHENTICATED -> "authenticated";
      case UNAUTHENTICATED -> "unauthenticated";
      case ALLOW -> kind == ReviewKind.ADMISSION ? "allowed" : "allow";
      case DENY -> kind == ReviewKind.ADMISSION ? "denied" : "deny";
      case NO_OPINION -> "no-opinion";
      case ERROR -> "error";
    };
  }
}
