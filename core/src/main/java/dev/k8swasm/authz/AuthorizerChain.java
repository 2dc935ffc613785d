package dev.k8swasm.authz;

import dev.k8swasm.internal.Closeables;
import dev.k8swasm.internal.DecisionCache;
import dev.k8swasm.module.ReviewKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Asks authorizers in order, as Kubernetes' union authorizer does: the first allow or deny wins
 * (with that authorizer's reason and error); no opinion moves on; when every authorizer has no
 * opinion, the reasons are joined by newlines and the errors by "; ".
 *
 * <p>Immutable and thread-safe: build it once and share it between request threads. Closing it
 * closes the authorizers that are {@link AutoCloseable}; a closed chain throws {@link
 * IllegalStateException} rather than decide (a module's failure policy must not turn a use after
 * close into a quiet "no opinion" or "deny").
 *
 * <p>With a cache ({@link Builder#cache(AuthorizationCacheOptions)}; none by default), a decision
 * reached without any error is kept and given again for the same SubjectAccessReview (equal in
 * every field but the status) until its time to live has passed, without asking the authorizers;
 * see {@link AuthorizationCacheOptions}. Equal reviews that miss at the same time share one
 * evaluation. Closing the chain empties its cache.
 */
public final class AuthorizerChain implements Authorizer, AutoCloseable {
  private final List<Authorizer> authorizers;
  private final AuthorizationCacheOptions cacheOptions;
  private final DecisionCache<AuthorizationDecision> cache;
  private volatile boolean closed;

  private AuthorizerChain(List<Authorizer> authorizers, AuthorizationCacheOptions cacheOptions) {
    this.authorizers = List.copyOf(authorizers);
    this.cacheOptions = cacheOptions;
    this.cache =
        cacheOptions == null
            ? null
            : new DecisionCache<>(
                ReviewKind.AUTHORIZATION,
                cacheOptions.maxEntries(),
                cacheOptions.ticker(),
                cacheOptions.listener());
  }

  /** A chain of the given authorizers, in order, without a cache. */
  public static AuthorizerChain of(List<? extends Authorizer> authorizers) {
    return new AuthorizerChain(new ArrayList<>(authorizers), null);
  }

  /** A builder for a chain. */
  public static Builder builder() {
    return new Builder();
  }

  /** The authorizers, in order. */
  public List<Authorizer> authorizers() {
    return authorizers;
  }

  /** The options of the chain's decision cache, or empty when it has none. */
  public Optional<AuthorizationCacheOptions> cache() {
    return Optional.ofNullable(cacheOptions);
  }

  /**
   * Asks the authorizers in order, or answers from the cache when the chain has one and holds a
   * live decision for this review.
   *
   * @return the first allow or deny, else no opinion; failures of modules are decided by their
   *     failure policy, never thrown
   * @throws IllegalStateException when the chain is closed
   */
  @Override
  public AuthorizationDecision authorize(SubjectAccessReview review) {
    Objects.requireNonNull(review, "review");
    if (closed) {
      throw new IllegalStateException("the authorizer chain is closed; build a new one");
    }
    if (cache == null) {
      return ask(review).decision();
    }
    return cache.decide(
        cache.key(null, review.withStatus(null)),
        () -> {
          Asked asked = ask(review);
          Duration ttl =
              asked.decision().allowed()
                  ? cacheOptions.authorizedTtl()
                  : cacheOptions.unauthorizedTtl();
          return new DecisionCache.Evaluated<>(asked.decision(), asked.anyError() ? null : ttl);
        });
  }

  /** A decision, and whether any authorizer reported an error on the way to it. */
  private record Asked(AuthorizationDecision decision, boolean anyError) {}

  private Asked ask(SubjectAccessReview review) {
    List<String> reasons = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (Authorizer authorizer : authorizers) {
      AuthorizationDecision decision = authorizer.authorize(review);
      if (decision.decision() != AuthorizationDecision.Decision.NO_OPINION) {
        // an earlier authorizer's error is not in the decision, but keeps it out of the cache: a
        // failed module is asked again next time, as kube-apiserver asks a failed webhook again
        return new Asked(decision, !errors.isEmpty() || decision.evaluationError() != null);
      }
      if (!decision.reason().isEmpty()) {
        reasons.add(decision.reason());
      }
      if (decision.evaluationError() != null) {
        errors.add(decision.evaluationError());
      }
    }
    return new Asked(
        AuthorizationDecision.noOpinion(String.join("\n", reasons))
            .withError(errors.isEmpty() ? null : String.join("; ", errors)),
        !errors.isEmpty());
  }

  /**
   * Closes the authorizers that are {@link AutoCloseable} (their modules). Evaluations already
   * running finish; later calls of {@link #authorize} throw {@link IllegalStateException}. Closing
   * twice does nothing more.
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
    Closeables.closeAll(authorizers);
  }

  /** Builds {@link AuthorizerChain}s. */
  public static final class Builder {
    private final List<Authorizer> authorizers = new ArrayList<>();
    private AuthorizationCacheOptions cache;

    private Builder() {}

    /** Appends an authorizer. */
    public Builder add(Authorizer authorizer) {
      authorizers.add(Objects.requireNonNull(authorizer, "authorizer"));
      return this;
    }

    /**
     * Gives the chain a decision cache (default: none), e.g. {@link
     * AuthorizationCacheOptions#defaults()} for kube-apiserver's 5 minutes (allow) and 30 seconds
     * (deny, no opinion).
     */
    public Builder cache(AuthorizationCacheOptions cache) {
      this.cache = Objects.requireNonNull(cache, "cache");
      return this;
    }

    /** The chain; each chain built has a cache of its own, empty. */
    public AuthorizerChain build() {
      return new AuthorizerChain(authorizers, cache);
    }
  }
}
