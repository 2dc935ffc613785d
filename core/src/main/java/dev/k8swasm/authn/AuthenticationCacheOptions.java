package dev.k8swasm.authn;

import dev.k8swasm.observe.DecisionCacheListener;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The decision cache of an {@link AuthenticatorChain}, as kube-apiserver caches its token webhook's
 * answers ({@code --authentication-token-webhook-cache-ttl}, 2 minutes): a result is kept for
 * {@link #ttl()}, whether the token was authenticated or not; a result with an error (a module
 * failed or reported one) is never kept. Opt-in: a chain has no cache unless given one with {@link
 * AuthenticatorChain.Builder#cache(AuthenticationCacheOptions)}.
 *
 * <p>The key is an HMAC-SHA256, under a random key of the cache's own, of the token and of
 * everything else in the TokenReview but its status (audiences included, in their order): the token
 * is never stored, and a cached result never answers for another token or audience list. At most
 * {@link #maxEntries()} results are kept, the least recently used dropped first.
 *
 * <p>Where kube-apiserver differs: its token cache is bounded by time only, and concurrent lookups
 * of the same token share one evaluation; here concurrent misses each evaluate.
 *
 * <p>Immutable. {@code AuthenticationCacheOptions.builder().ttl(Duration.ofMinutes(1)).build()}
 */
public final class AuthenticationCacheOptions {
  /** kube-apiserver's default time to live of a token webhook's answers: 2 minutes. */
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(2);

  /** The default bound: 8192 results (the size of kube-apiserver's authorization webhook cache). */
  public static final int DEFAULT_MAX_ENTRIES = 8192;

  private static final AuthenticationCacheOptions DEFAULTS = builder().build();

  private final Duration ttl;
  private final int maxEntries;
  private final LongSupplier ticker;
  private final DecisionCacheListener listener;

  private AuthenticationCacheOptions(Builder b) {
    this.ttl = b.ttl;
    this.maxEntries = b.maxEntries;
    this.ticker = b.ticker;
    this.listener = b.listener;
  }

  /** kube-apiserver's defaults: 2 minutes, 8192 entries, the system's clock, no listener. */
  public static AuthenticationCacheOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    return builder().ttl(ttl).maxEntries(maxEntries).ticker(ticker).listener(listener);
  }

  /** How long a result is kept (zero: none is). */
  public Duration ttl() {
    return ttl;
  }

  /** The most results kept. */
  public int maxEntries() {
    return maxEntries;
  }

  /** The time source, in nanoseconds as {@link System#nanoTime()} counts them. */
  public LongSupplier ticker() {
    return ticker;
  }

  /** Receives hits, misses, evictions and expiries. */
  public DecisionCacheListener listener() {
    return listener;
  }

  @Override
  public String toString() {
    return "AuthenticationCacheOptions[ttl=" + ttl + ", maxEntries=" + maxEntries + "]";
  }

  /** Builds {@link AuthenticationCacheOptions}. Not thread-safe. */
  public static final class Builder {
    private Duration ttl = DEFAULT_TTL;
    private int maxEntries = DEFAULT_MAX_ENTRIES;
    private LongSupplier ticker = System::nanoTime;
    private DecisionCacheListener listener = DecisionCacheListener.NONE;

    private Builder() {}

    /**
     * How long a result is kept (default 2 minutes); zero keeps none.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder ttl(Duration ttl) {
      this.ttl = nonNegative(ttl, "ttl");
      return this;
    }

    /**
     * The most results kept (default 8192).
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder maxEntries(int maxEntries) {
      if (maxEntries < 1) {
        throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
      }
      this.maxEntries = maxEntries;
      return this;
    }

    /**
     * The time source, in nanoseconds as {@link System#nanoTime()} counts them (the default); a
     * test gives a fake one.
     */
    public Builder ticker(LongSupplier ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** Receives hits, misses, evictions and expiries (default: none). */
    public Builder listener(DecisionCacheListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public AuthenticationCacheOptions build() {
      return new AuthenticationCacheOptions(this);
    }
  }

  private static Duration nonNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, got " + d);
    }
    return d;
  }
}
