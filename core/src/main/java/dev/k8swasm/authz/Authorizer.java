package dev.k8swasm.authz;

/**
 * Decides whether a subject may perform a request. Implementations are thread-safe.
 *
 * <p>{@link ModuleAuthorizer} asks one module; {@link AuthorizerChain} asks several in order.
 */
@FunctionalInterface
public interface Authorizer {

  /**
   * Decides about {@code review}.
   *
   * @return the decision; failures of modules are reported in it, not thrown
   */
  AuthorizationDecision authorize(SubjectAccessReview review);
}
