package dev.k8swasm.server;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the configuration in use. Swapping is atomic: a request works with the configuration it
 * acquired until it ends, while new requests get the new one; the old one's modules are closed once
 * its last request has finished.
 */
final class PolicyStore implements AutoCloseable {
  private final AtomicReference<Policies> current = new AtomicReference<>();

  /** A reference to the configuration for one request; close it when the request is done. */
  static final class Lease implements AutoCloseable {
    private final Policies policies;
    private boolean released;

    private Lease(Policies policies) {
      this.policies = policies;
    }

    Policies policies() {
      return policies;
    }

    @Override
    public void close() {
      if (!released) {
        released = true;
        policies.release();
      }
    }
  }

  /** The current configuration, retained for the caller; empty before the first load. */
  Optional<Lease> acquire() {
    while (true) {
      Policies p = current.get();
      if (p == null) {
        return Optional.empty();
      }
      if (p.retain()) {
        return Optional.of(new Lease(p));
      }
      // swapped and drained between get() and retain(): read the new one
    }
  }

  /** The current configuration without retaining it (for status only), if loaded. */
  Optional<Policies> peek() {
    return Optional.ofNullable(current.get());
  }

  /** Installs {@code next}; the previous configuration is closed when its requests are done. */
  void install(Policies next) {
    Policies old = current.getAndSet(next);
    if (old != null) {
      old.release();
    }
  }

  /**
   * Removes the configuration; it is closed now if no request uses it, else when its last request
   * is done.
   */
  @Override
  public void close() {
    Policies old = current.getAndSet(null);
    if (old != null) {
      old.releaseNow();
    }
  }
}
