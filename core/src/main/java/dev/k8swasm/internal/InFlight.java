package dev.k8swasm.internal;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Shares one computation among the callers that ask for equal keys at the same time: the first one
 * computes, the others wait for its value, as kube-apiserver's webhook token cache shares one
 * request among concurrent misses. A thread asking again for a key it is computing itself computes
 * it again rather than wait for itself. Not part of the supported API.
 *
 * @param <K> the key type (with value equality)
 * @param <V> the value type (immutable)
 */
public final class InFlight<K, V> {
  private final ConcurrentHashMap<K, CompletableFuture<V>> running = new ConcurrentHashMap<>();
  private final ThreadLocal<Set<K>> computing = ThreadLocal.withInitial(HashSet::new);

  /**
   * A value and whether it was another caller's.
   *
   * @param value the value
   * @param shared whether another caller computed it while this one waited
   */
  public record Result<V>(V value, boolean shared) {}

  /**
   * The value of {@code computation}, or that of a computation for an equal key already running,
   * once it ends. An exception of the computation reaches every caller that waited for it.
   */
  public Result<V> compute(K key, Supplier<V> computation) {
    Objects.requireNonNull(key, "key");
    Set<K> mine = computing.get();
    if (mine.contains(key)) {
      return new Result<>(computation.get(), false);
    }
    CompletableFuture<V> future = new CompletableFuture<>();
    CompletableFuture<V> other = running.putIfAbsent(key, future);
    if (other != null) {
      try {
        return new Result<>(other.join(), true);
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        if (e.getCause() instanceof Error err) {
          throw err;
        }
        throw e;
      }
    }
    mine.add(key);
    try {
      V value = computation.get();
      future.complete(value);
      return new Result<>(value, false);
    } catch (RuntimeException | Error e) {
      future.completeExceptionally(e);
      throw e;
    } finally {
      mine.remove(key);
      if (mine.isEmpty()) {
        computing.remove();
      }
      running.remove(key, future);
    }
  }
}
