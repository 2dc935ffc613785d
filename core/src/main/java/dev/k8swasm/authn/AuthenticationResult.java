package dev.k8swasm.authn;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of authentication: an authenticated user, or not authenticated with the errors that
 * occurred on the way.
 *
 * @param authenticated whether the token was recognised
 * @param user the user, when authenticated
 * @param audiences the audiences the token is valid for, when authenticated
 * @param errors errors of the modules asked (each naming its module); may be non-empty even when a
 *     later module authenticated
 * @param authenticatedBy the name of the module that authenticated, or null
 */
public record AuthenticationResult(
    boolean authenticated,
    UserInfo user,
    List<String> audiences,
    List<String> errors,
    String authenticatedBy) {

  public AuthenticationResult {
    audiences = audiences == null ? List.of() : List.copyOf(audiences);
    errors = errors == null ? List.of() : List.copyOf(errors);
    if (authenticated) {
      Objects.requireNonNull(user, "user");
    }
  }

  /** Authenticated as {@code user} by {@code module}. */
  public static AuthenticationResult authenticated(
      UserInfo user, List<String> audiences, String module) {
    return new AuthenticationResult(true, user, audiences, List.of(), module);
  }

  /** Not authenticated, without error. */
  public static AuthenticationResult unauthenticated() {
    return new AuthenticationResult(false, null, List.of(), List.of(), null);
  }

  /** Not authenticated because of {@code errors}. */
  public static AuthenticationResult failed(List<String> errors) {
    return new AuthenticationResult(false, null, List.of(), errors, null);
  }

  /** A copy carrying {@code errors} instead. */
  public AuthenticationResult withErrors(List<String> errors) {
    return new AuthenticationResult(authenticated, user, audiences, errors, authenticatedBy);
  }

  /** The errors joined into one message, or null when there were none. */
  public String errorMessage() {
    return errors.isEmpty() ? null : String.join("; ", errors);
  }

  /** The Kubernetes status for this result. */
  public TokenReviewStatus toStatus() {
    if (authenticated) {
      return new TokenReviewStatus(true, user, audiences.isEmpty() ? null : audiences, null, null);
    }
    return new TokenReviewStatus(false, null, null, errorMessage(), null);
  }

  /**
   * {@code request} answered with this result, keeping its apiVersion and fields but not the token
   * (the API server reads only the status; an answer must never carry the secret further).
   */
  public TokenReview respondTo(TokenReview request) {
    return request.withoutToken().withStatus(toStatus());
  }
}
