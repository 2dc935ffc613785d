package dev.k8swasm.authn;

import dev.k8swasm.internal.Closeables;
import dev.k8swasm.internal.DecisionCache;
import dev.k8swasm.json.Redaction;
import dev.k8swasm.module.ReviewKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks authenticators in order: the first that authenticates wins; errors are collected and the
 * next one is asked; when none authenticates the result is "not authenticated" with every error.
 * Errors never contain the token under review ({@link Redaction#redact(String, String)}).
 *
 * <p>Immutable and thread-safe: build it once and share it between request threads. Closing it
 * closes the authenticators that are {@link AutoCloseable}; a closed chain throws {@link
 * IllegalStateException} rather than answer "not authenticated", so a use after close is a visible
 * bug, not a quiet refusal. To reload, build a new chain, switch to it, and close the old one when
 * its last evaluation is done.
 *
 * <p>With a cache ({@link Builder#cache(AuthenticationCacheOptions)}; none by default), a result
 * reached without any error is kept and given again for the same TokenReview (same token, same
 * audiences, same everything but the status) until its time to live has passed, without asking the
 * authenticators; see {@link AuthenticationCacheOptions}. Equal reviews that miss at the same time
 * share one evaluation. Closing the chain empties its cache.
 */
public final class AuthenticatorChain implements Authenticator, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuthenticatorChain.class);

  private final List<Authenticator> authenticators;
  private final AuthenticationCacheOptions cacheOptions;
  private final DecisionCache<AuthenticationResult> cache;
  private volatile boolean closed;

  private AuthenticatorChain(
      List<Authenticator> authenticators, AuthenticationCacheOptions cacheOptions) {
    this.authenticators = List.copyOf(authenticators);
    this.cacheOptions = cacheOptions;
    this.cache =
        cacheOptions == null
            ? null
            : new DecisionCache<>(
                ReviewKind.AUTHENTICATION,
                cacheOptions.maxEntries(),
                cacheOptions.ticker(),
                cacheOptions.listener());
  }

  /** A chain of the given authenticators, in order, without a cache. */
  public static AuthenticatorChain of(List<? extends Authenticator> authenticators) {
    return new AuthenticatorChain(new ArrayList<>(authenticators), null);
  }

  /** A builder for a chain. */
  public static Builder builder() {
    return new Builder();
  }

  /** The authenticators, in order. */
  public List<Authenticator> authenticators() {
    return authenticators;
  }

  /** The options of the chain's decision cache, or empty when it has none. */
  public Optional<AuthenticationCacheOptions> cache() {
    return Optional.ofNullable(cacheOptions);
  }

  /**
   * Asks the authenticators in order, or answers from the cache when the chain has one and holds a
   * live result for this review.
   *
   * @return the first authenticated result, else "not authenticated" with every error; failures of
   *     modules are reported in it, never thrown
   * @throws IllegalStateException when the chain is closed
   */
  @Override
  public AuthenticationResult authenticate(TokenReview review) {
    Objects.requireNonNull(review, "review");
    if (closed) {
      throw new IllegalStateException("the authenticator chain is closed; build a new one");
    }
    if (cache == null) {
      return ask(review).result();
    }
    // the token is hashed on its own; the rest of the review (audiences...) without it
    // the token is hashed on its own; the rest of the review (audiences...) without it
    return cache.decide(
        cache.key(review.token(), review.withoutToken().withStatus(null)),
        () -> {
          Asked asked = ask(review);
          return new DecisionCache.Evaluated<>(
              asked.result(), asked.anyError() ? null : cacheOptions.ttl());
        });
  }

  /** A result, and whether any authenticator reported an error on the way to it. */
  private record Asked(AuthenticationResult result, boolean anyError) {}

  private Asked ask(TokenReview review) {
    List<String> errors = new ArrayList<>();
    for (Authenticator authenticator : authenticators) {
      AuthenticationResult result = authenticator.authenticate(review);
      if (result.authenticated()) {
        if (!errors.isEmpty()) {
          LOG.debug("authenticated after earlier errors: {}", errors);
        }
        return new Asked(
            result.withErrors(List.of()), !errors.isEmpty() || !result.errors().isEmpty());
      }
      // whatever an authenticator put into its errors, the token under review never goes further
      result.errors().forEach(e -> errors.add(Redaction.redact(e, review.token())));
    }
    return new Asked(AuthenticationResult.failed(errors), !errors.isEmpty());
  }

  /**
   * Closes the authenticators that are {@link AutoCloseable} (their modules). Evaluations already
   * running finish; later calls of {@link #authenticate} throw {@link IllegalStateException}.
   * Closing twice does nothing more.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (cache != null) {
      cache.clear();
    }
    Closeables.closeAll(authenticators);
  }

  /** Builds {@link AuthenticatorChain}s. */
  public static final class Builder {
    private final List<Authenticator> authenticators = new ArrayList<>();
    private AuthenticationCacheOptions cache;

    private Builder() {}

    /** Appends an authenticator. */
    public Builder add(Authenticator authenticator) {
      authenticators.add(Objects.requireNonNull(authenticator, "authenticator"));
      return this;
    }

    /**
     * Gives the chain a decision cache (default: none), e.g. {@link
     * AuthenticationCacheOptions#defaults()} for kube-apiserver's 2 minutes.
     */
    public Builder cache(AuthenticationCacheOptions cache) {
      this.cache = Objects.requireNonNull(cache, "cache");
      return this;
    }

    /** The chain; each chain built has a cache of its own, empty. */
    public AuthenticatorChain build() {
      return new AuthenticatorChain(authenticators, cache);
    }
  }
}
