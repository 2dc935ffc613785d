package dev.k8swasm.authn;

/**
 * Decides who a bearer token belongs to.
 *
 * <p>{@link ModuleAuthenticator} asks one module; {@link AuthenticatorChain} asks several in order.
 *
 * <p><b>Threads:</b> implementations are thread-safe; one instance serves every request thread.
 * <b>Errors:</b> a module that fails (trap, timeout, bad answer, closed) is not thrown: the result
 * is "not authenticated" with an error naming the module ({@link AuthenticationResult#errors()}),
 * never containing the token. <b>Closing:</b> the library's implementations are {@link
 * AutoCloseable} and close their modules; a closed {@link AuthenticatorChain} throws {@link
 * IllegalStateException}.
 */
@FunctionalInterface
public interface Authenticator {

  /**
   * Reviews the token in {@code review}.
   *
   * @param review a TokenReview request (v1 or v1beta1); its status, if any, is ignored
   * @return the result; failures of modules are reported in it, not thrown
   * @throws NullPointerException when {@code review} is null
   * @throws IllegalStateException when the authenticator is a closed chain
   */
  AuthenticationResult authenticate(TokenReview review);
}
