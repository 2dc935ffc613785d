package dev.k8swasm.internal;

import dev.k8swasm.module.ReviewKind;
import dev.k8swasm.observe.CacheEvent;
import dev.k8swasm.observe.DecisionCacheListener;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The decision cache of an authentication or authorization chain: keys hashed from the review, an
 * {@link ExpiringLruCache} of decisions, and one shared evaluation for equal reviews that miss at
 * the same time ({@link InFlight}), every event reported to the listener. Not part of the supported
 * API.
 *
 * @param <V> the decision type (immutable)
 */
public final class DecisionCache<V> {
  private final ReviewKind kind;
  private final DecisionCacheListener listener;
  private final DecisionKey.Hasher keys = new DecisionKey.Hasher();
  private final ExpiringLruCache<DecisionKey, V> store;
  private final InFlight<DecisionKey, V> inFlight = new InFlight<>();

  /**
   * A decision and how long it may answer equal reviews.
   *
   * @param value the decision
   * @param ttl its time to live, or null when it must not be kept (it was reached with an error)
   */
  public record Evaluated<V>(V value, Duration ttl) {}

  /** An empty cache of at most {@code maxEntries} decisions of {@code kind}. */
  public DecisionCache(
      ReviewKind kind, int maxEntries, LongSupplier ticker, DecisionCacheListener listener) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.store =
        new ExpiringLruCache<>(
            maxEntries, ticker, event -> DecisionCacheListener.notify(listener, kind, event));
  }

  /** The key of a review: {@code secret} (a token, or null) hashed on its own, then the rest. */
  public DecisionKey key(String secret, Object rest) {
    return keys.key(secret, rest);
  }

  /**
   * The live decision of {@code key}, else the one {@code evaluate} reaches (kept for its time to
   * live) or that of an evaluation of an equal review already running.
   */
  public V decide(DecisionKey key, Supplier<Evaluated<V>> evaluate) {
    V cached = store.get(key);
    if (cached != null) {
      return cached;
    }
    InFlight.Result<V> result =
        inFlight.compute(
            key,
            () -> {
              Evaluated<V> evaluated = evaluate.get();
              if (evaluated.ttl() != null) {
                store.put(key, evaluated.value(), evaluated.ttl());
              }
              return evaluated.value();
            });
    if (result.shared()) {
      DecisionCacheListener.notify(listener, kind, CacheEvent.SHARED);
    }
    return result.value();
  }

  /** Drops every decision. */
  public void clear() {
    store.clear();
  }
}
