package dev.k8swasm.authn;

/**
 * Decides who a bearer token belongs to. Implementations are thread-safe.
 *
 * <p>{@link ModuleAuthenticator} asks one module; {@link AuthenticatorChain} asks several in order.
 */
@FunctionalInterface
public interface Authenticator {

  /**
   * Reviews the token in {@code review}.
   *
   * @return the result; failures of modules are reported in it, not thrown
   */
  AuthenticationResult authenticate(TokenReview review);
}
