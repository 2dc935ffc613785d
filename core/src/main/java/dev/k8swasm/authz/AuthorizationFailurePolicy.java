package dev.k8swasm.authz;

/** What a module's failure to answer means for authorization. */
public enum AuthorizationFailurePolicy {
  /** The module has no opinion; the error is reported and the next authorizer is asked. */
  NO_OPINION,
  /** The request is denied. */
  DENY;

  /**
   * Parses {@code NoOpinion} or {@code Deny} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static AuthorizationFailurePolicy parse(String text) {
    return switch (text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "noopinion", "no_opinion" -> NO_OPINION;
      case "deny" -> DENY;
      default ->
          throw new IllegalArgumentException(
              "unknown authorization failurePolicy '" + text + "': use NoOpinion or Deny");
    };
  }
}
