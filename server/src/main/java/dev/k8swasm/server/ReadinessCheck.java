package dev.k8swasm.server;

import java.util.Optional;

/**
 * Something the server needs before it may answer reviews, such as the caches of a cluster's
 * resources: {@code /readyz} and {@code /readiness} answer 503 with the reason while it is not
 * ready. Must be fast and thread-safe (probes call it).
 */
@FunctionalInterface
public interface ReadinessCheck {

  /** Always ready. */
  ReadinessCheck NONE = Optional::empty;

  /** Why it is not ready, or empty when it is. */
  Optional<String> notReady();
}
