package dev.k8swasm.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code cache:} of an authentication or authorization configuration: the chain's decision
 * cache, with the values the file gives (the others keep kube-apiserver's defaults). {@link Chains}
 * turns it into {@link dev.k8swasm.authn.AuthenticationCacheOptions} or {@link
 * dev.k8swasm.authz.AuthorizationCacheOptions}, and refuses it for admission. Immutable.
 *
 * <pre>{@code
 * cache:                 # or: cache: true (all defaults)
 *   ttl: 2m              # authentication
 *   authorizedTtl: 5m    # authorization: allow
 *   unauthorizedTtl: 30s # authorization: deny or no opinion
 *   maxEntries: 8192
 * }</pre>
 */
public final class CacheConfig {
  private final Duration ttl;
  private final Duration authorizedTtl;
  private final Duration unauthorizedTtl;
  private final Integer maxEntries;
  private final String source;

  private CacheConfig(
      Duration ttl,
      Duration authorizedTtl,
      Duration unauthorizedTtl,
      Integer maxEntries,
      String source) {
    this.ttl = ttl;
    this.authorizedTtl = authorizedTtl;
    this.unauthorizedTtl = unauthorizedTtl;
    this.maxEntries = maxEntries;
    this.source = Objects.requireNonNull(source, "source");
  }

  /**
   * A cache configuration; null values are not given (the defaults apply).
   *
   * @param source where it was written, for messages (e.g. {@code authz.yaml: cache})
   */
  public static CacheConfig of(
      Duration ttl,
      Duration authorizedTtl,
      Duration unauthorizedTtl,
      Integer maxEntries,
      String source) {
    return new CacheConfig(ttl, authorizedTtl, unauthorizedTtl, maxEntries, source);
  }

  /** Authentication: how long a result is kept. */
  public Optional<Duration> ttl() {
    return Optional.ofNullable(ttl);
  }

  /** Authorization: how long an allow is kept. */
  public Optional<Duration> authorizedTtl() {
    return Optional.ofNullable(authorizedTtl);
  }

  /** Authorization: how long a deny or a no opinion is kept. */
  public Optional<Duration> unauthorizedTtl() {
    return Optional.ofNullable(unauthorizedTtl);
  }

  /** The most decisions kept. */
  public Optional<Integer> maxEntries() {
    return Optional.ofNullable(maxEntries);
  }

  /** Where it was written, for messages. */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return "CacheConfig[ttl="
        + ttl
        + ", authorizedTtl="
        + authorizedTtl
        + ", unauthorizedTtl="
        + unauthorizedTtl
        + ", maxEntries="
        + maxEntries
        + "]";
  }
}
