package dev.k8swasm.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
  /** The fields of {@code cache:}, in the order messages list them. */
  private static final List<String> KEYS =
      List.of("ttl", "authorizedTtl", "unauthorizedTtl", "maxEntries");

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

  /**
   * Reads a {@code cache:} value: {@code true} (all defaults), {@code false} or null (none), or an
   * object with {@code ttl}, {@code authorizedTtl}, {@code unauthorizedTtl} (durations such as
   * {@code 30s}; {@code 0s} keeps no decision of that kind) and {@code maxEntries}.
   *
   * @param at where it was written, for messages (e.g. {@code server.yaml: authorization: cache})
   * @return the configuration, or empty for none
   * @throws ConfigException listing every problem of the value
   */
  public static Optional<CacheConfig> parse(JsonNode node, String at) {
    List<String> problems = new ArrayList<>();
    CacheConfig config = read(node, at, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return Optional.ofNullable(config);
  }

  /** As {@link #parse}, adding the problems to {@code problems} (then null). */
  static CacheConfig read(JsonNode node, String at, List<String> problems) {
    if (node == null || node.isNull() || (node.isBoolean() && !node.booleanValue())) {
      return null;
    }
    if (node.isBoolean()) {
      return of(null, null, null, null, at);
    }
    if (!node.isObject()) {
      problems.add(
          at
              + ": expected true, false or an object with "
              + String.join(", ", KEYS)
              + " (e.g. {ttl: 2m})");
      return null;
    }
    int before = problems.size();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        problems.add(
            at
                + ": unknown field '"
                + key
                + "'"
                + Suggestions.didYouMean(key, Set.copyOf(KEYS))
                    .map(k -> " (did you mean '" + k + "'?)")
                    .orElse(" (expected " + String.join(", ", KEYS) + ")"));
      }
    }
    // durations of zero or more (0s: that kind of decision is not kept)
    Duration[] ttls = new Duration[3];
    Integer[] maxEntries = {null};
    ConfigLoader.parse(node, "ttl", at, problems, s -> ttls[0] = Quantities.parseDuration(s));
    ConfigLoader.parse(
        node, "authorizedTtl", at, problems, s -> ttls[1] = Quantities.parseDuration(s));
    ConfigLoader.parse(
        node, "unauthorizedTtl", at, problems, s -> ttls[2] = Quantities.parseDuration(s));
    ConfigLoader.parse(
        node, "maxEntries", at, problems, s -> maxEntries[0] = ConfigLoader.positiveCount(s));
    if (problems.size() > before) {
      return null;
    }
    return of(ttls[0], ttls[1], ttls[2], maxEntries[0], at);
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
