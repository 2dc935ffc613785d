package dev.k8swasm.kubewarden.capabilities;

import dev.k8swasm.authz.Authorizer;

/**
 * An {@link Authorizer} for {@code kubernetes/can_i} that answers from a short-lived cache; a
 * policy's call with {@code disable_cache: true} is answered by {@link #uncached()} instead (as
 * Kubewarden's policy-server does).
 */
public interface CachingAuthorizer extends Authorizer {

  /** The same decisions, asked afresh every time. */
  Authorizer uncached();
}
