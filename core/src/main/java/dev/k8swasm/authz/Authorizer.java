package dev.k8swasm.authz;

/**
 * Decides whether a subject may perform a request.
 *
 * <p>{@link ModuleAuthorizer} asks one module; {@link AuthorizerChain} asks several in order.
 *
 * <p><b>Threads:</b> implementations are thread-safe; one instance serves every request thread.
 * <b>Errors:</b> a module that fails (trap, timeout, bad answer, closed) is not thrown: its {@link
 * AuthorizationFailurePolicy} decides (no opinion by default, or deny), and the decision carries
 * the error in {@link AuthorizationDecision#evaluationError()}. <b>Closing:</b> the library's
 * implementations are {@link AutoCloseable} and close their modules; a closed {@link
 * AuthorizerChain} throws {@link IllegalStateException}.
 */
@FunctionalInterface
public interface Authorizer {

  /**
   * Decides about {@code review}.
   *
   * @param review a SubjectAccessReview request (v1 or v1beta1); its status, if any, is ignored
   * @return the decision; failures of modules are reported in it, not thrown
   * @throws NullPointerException when {@code review} is null
   * @throws IllegalStateException when the authorizer is a closed chain
   */
  AuthorizationDecision authorize(SubjectAccessReview review);
}
