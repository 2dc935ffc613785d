package dev.k8swasm.authz;

import dev.k8swasm.observe.DecisionCacheListener;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The decision cache of an {@link AuthorizerChain}, as kube-apiserver caches its authorization
 * webhook's answers ({@code --authorization-webhook-cache-authorized-ttl}, 5 minutes, and {@code
 * --authorization-webhook-cache-unauthorized-ttl}, 30 seconds): an allow is kept for {@link
 * #authorizedTtl()}, a deny or a no opinion for {@link #unauthorizedTtl()}; a decision reached with
 * an error (a module failed, whatever its failure policy made of it, or reported an {@code
 * evaluationError}) is never kept. Opt-in: a chain has no cache unless given one with {@link
 * AuthorizerChain.Builder#cache(AuthorizationCacheOptions)}.
 *
 * <p>The key is an HMAC-SHA256, under a random key of the cache's own, of the whole
 * SubjectAccessReview but its status, in canonical JSON form (user, uid, groups, extra, resource or
 * non-resource attributes with field and label selectors, metadata, apiVersion and unknown fields):
 * a cached decision never answers for a review that differs in any field. At most {@link
 * #maxEntries()} decisions are kept, the least recently used dropped first.
 *
 * <p>Where kube-apiserver differs: it keeps a webhook's status even when it carries an {@code
 * evaluationError} (only a failed call is not kept), and it does not cache requests whose
 * attributes exceed 10,000 bytes, to bound its memory; here keys are 32-byte digests whatever the
 * review's size. Concurrent misses of the same review each evaluate it.
 *
 * <p>Immutable. {@code AuthorizationCacheOptions.builder().unauthorizedTtl(Duration.ZERO).build()}
 * caches allows only.
 */
public final class AuthorizationCacheOptions {
  /** kube-apiserver's default time to live of an allow: 5 minutes. */
  public static final Duration DEFAULT_AUTHORIZED_TTL = Duration.ofMinutes(5);

  /** kube-apiserver's default time to live of a deny or no opinion: 30 seconds. */
  public static final Duration DEFAULT_UNAUTHORIZED_TTL = Duration.ofSeconds(30);

  /** The default bound: 8192 decisions, the size of kube-apiserver's webhook authorizer cache. */
  public static final int DEFAULT_MAX_ENTRIES = 8192;

  private static final AuthorizationCacheOptions DEFAULTS = builder().build();

  private final Duration authorizedTtl;
  private final Duration unauthorizedTtl;
  private final int maxEntries;
  private final LongSupplier ticker;
  private final DecisionCacheListener listener;

  private AuthorizationCacheOptions(Builder b) {
    this.authorizedTtl = b.authorizedTtl;
    this.unauthorizedTtl = b.unauthorizedTtl;
    this.maxEntries = b.maxEntries;
    this.ticker = b.ticker;
    this.listener = b.listener;
  }

  /** kube-apiserver's defaults: 5 minutes, 30 seconds, 8192 entries, the system's clock. */
  public static AuthorizationCacheOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    return builder()
        .authorizedTtl(authorizedTtl)
        .unauthorizedTtl(unauthorizedTtl)
        .maxEntries(maxEntries)
        .ticker(ticker)
        .listener(listener);
  }

  /** How long an allow is kept (zero: none is). */
  public Duration authorizedTtl() {
    return authorizedTtl;
  }

  /** How long a deny or a no opinion is kept (zero: none is). */
  public Duration unauthorizedTtl() {
    return unauthorizedTtl;
  }

  /** The most decisions kept. */
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
    return "AuthorizationCacheOptions[authorizedTtl="
        + authorizedTtl
        + ", unauthorizedTtl="
        + unauthorizedTtl
        + ", maxEntries="
        + maxEntries
        + "]";
  }

  /** Builds {@link AuthorizationCacheOptions}. Not thread-safe. */
  public static final class Builder {
    private Duration authorizedTtl = DEFAULT_AUTHORIZED_TTL;
    private Duration unauthorizedTtl = DEFAULT_UNAUTHORIZED_TTL;
    private int maxEntries = DEFAULT_MAX_ENTRIES;
    private LongSupplier ticker = System::nanoTime;
    private DecisionCacheListener listener = DecisionCacheListener.NONE;

    private Builder() {}

    /**
     * How long an allow is kept (default 5 minutes); zero keeps none.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder authorizedTtl(Duration authorizedTtl) {
      this.authorizedTtl = nonNegative(authorizedTtl, "authorizedTtl");
      return this;
    }

    /**
     * How long a deny or a no opinion is kept (default 30 seconds); zero keeps none.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder unauthorizedTtl(Duration unauthorizedTtl) {
      this.unauthorizedTtl = nonNegative(unauthorizedTtl, "unauthorizedTtl");
      return this;
    }

    /**
     * The most decisions kept (default 8192).
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

    public AuthorizationCacheOptions build() {
      return new AuthorizationCacheOptions(this);
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
