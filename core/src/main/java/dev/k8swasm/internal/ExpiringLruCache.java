package dev.k8swasm.internal;

import dev.k8swasm.observe.CacheEvent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A map with at most {@code maxEntries} entries, the least recently used one dropped first, whose
 * entries expire after their own time to live: the store of the decision caches. Thread-safe: one
 * lock guards the map, held only for the map operation itself (never while a value is computed or
 * an event is reported). Not part of the supported API.
 *
 * @param <K> the key type (with value equality)
 * @param <V> the value type (immutable)
 */
public final class ExpiringLruCache<K, V> {
  /** Time to live beyond which entries are kept "forever" (about 73 years). */
  private static final long MAX_TTL_NANOS = 1L << 61;

  private final int maxEntries;
  private final LongSupplier ticker;
  private final Consumer<CacheEvent> events;
  private final Store store = new Store();

  private record Entry<V>(V value, long expiresAt) {}

  /** The map in access order; its fields are guarded by itself. */
  private final class Store extends LinkedHashMap<K, Entry<V>> {
    private static final long serialVersionUID = 1L;

    /** The time of the put in progress. */
    private transient long now;

    private transient int evicted;
    private transient int expired;

    Store() {
      super(16, 0.75f, true);
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
      if (size() <= maxEntries) {
        return false;
      }
      if (now - eldest.getValue().expiresAt() >= 0) {
        expired++;
      } else {
        evicted++;
      }
      return true;
    }
  }

  /**
   * An empty cache.
   *
   * @param maxEntries the bound, at least 1
   * @param ticker the time in nanoseconds, as {@link System#nanoTime()} counts it
   * @param events receives every hit, miss, eviction and expiry (outside the lock)
   */
  public ExpiringLruCache(int maxEntries, LongSupplier ticker, Consumer<CacheEvent> events) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
    }
    this.maxEntries = maxEntries;
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.events = Objects.requireNonNull(events, "events");
  }

  /**
   * The live value of {@code key}, or null (a miss). An expired entry is removed and reported as
   * {@link CacheEvent#EXPIRED} besides the miss.
   */
  public V get(K key) {
    Objects.requireNonNull(key, "key");
    long now = ticker.getAsLong();
    V value = null;
    boolean expired = false;
    synchronized (store) {
      Entry<V> e = store.get(key);
      if (e != null) {
        if (now - e.expiresAt() >= 0) {
          store.remove(key);
          expired = true;
        } else {
          value = e.value();
        }
      }
    }
    if (expired) {
      events.accept(CacheEvent.EXPIRED);
    }
    events.accept(value != null ? CacheEvent.HIT : CacheEvent.MISS);
    return value;
  }

  /**
   * Stores {@code value} for {@code ttl} (a zero ttl stores nothing), dropping the least recently
   * used entry when the cache is full.
   */
  public void put(K key, V value, Duration ttl) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (ttl.isZero() || ttl.isNegative()) {
      return;
    }
    long now = ticker.getAsLong();
    long expiresAt = now + nanos(ttl);
    int evicted;
    int expired;
    synchronized (store) {
      store.now = now;
      store.put(key, new Entry<>(value, expiresAt));
      evicted = store.evicted;
      expired = store.expired;
      store.evicted = 0;
      store.expired = 0;
    }
    for (int i = 0; i < evicted; i++) {
      events.accept(CacheEvent.EVICTED);
    }
    for (int i = 0; i < expired; i++) {
      events.accept(CacheEvent.EXPIRED);
    }
  }

  /** The number of entries held, expired ones not yet removed included. */
  public int size() {
    synchronized (store) {
      return store.size();
    }
  }

  /** Drops every entry (not reported as evictions). */
  public void clear() {
    synchronized (store) {
      store.clear();
    }
  }

  private static long nanos(Duration ttl) {
    try {
      return Math.min(ttl.toNanos(), MAX_TTL_NANOS);
    } catch (ArithmeticException e) {
      return MAX_TTL_NANOS;
    }
  }
}
