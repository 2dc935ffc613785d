package dev.k8swasm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.observe.CacheEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ExpiringLruCacheTest {
  final AtomicLong now = new AtomicLong(1_000);
  final List<CacheEvent> events = Collections.synchronizedList(new ArrayList<>());

  ExpiringLruCache<String, String> cache(int maxEntries) {
    return new ExpiringLruCache<>(maxEntries, now::get, events::add);
  }

  @Test
  void aStoredValueIsAHitUntilItsTtlHasPassedExactly() {
    ExpiringLruCache<String, String> cache = cache(10);
    cache.put("k", "v", Duration.ofSeconds(30));

    now.addAndGet(Duration.ofSeconds(30).toNanos() - 1);
    assertThat(cache.get("k")).isEqualTo("v");
    now.addAndGet(1);
    assertThat(cache.get("k")).isNull();

    assertThat(events).containsExactly(CacheEvent.HIT, CacheEvent.EXPIRED, CacheEvent.MISS);
    assertThat(cache.size()).as("the expired entry is gone").isZero();
  }

  @Test
  void eachEntryHasItsOwnTtl() {
    ExpiringLruCache<String, String> cache = cache(10);
    cache.put("allowed", "a", Duration.ofMinutes(5));
    cache.put("denied", "d", Duration.ofSeconds(30));

    now.addAndGet(Duration.ofSeconds(31).toNanos());

    assertThat(cache.get("denied")).isNull();
    assertThat(cache.get("allowed")).isEqualTo("a");
  }

  @Test
  void aZeroTtlStoresNothing() {
    ExpiringLruCache<String, String> cache = cache(10);
    cache.put("k", "v", Duration.ZERO);
    assertThat(cache.size()).isZero();
    assertThat(cache.get("k")).isNull();
  }

  @Test
  void theLeastRecentlyUsedEntryIsEvictedWhenFull() {
    ExpiringLruCache<String, String> cache = cache(2);
    cache.put("a", "1", Duration.ofHours(1));
    cache.put("b", "2", Duration.ofHours(1));
    assertThat(cache.get("a")).isEqualTo("1"); // b is now the least recently used

    cache.put("c", "3", Duration.ofHours(1));

    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.get("b")).isNull();
    assertThat(cache.get("a")).isEqualTo("1");
    assertThat(cache.get("c")).isEqualTo("3");
    assertThat(events).filteredOn(e -> e == CacheEvent.EVICTED).hasSize(1);
  }

  @Test
  void anExpiredEldestPushedOutIsReportedAsExpiredNotEvicted() {
    ExpiringLruCache<String, String> cache = cache(1);
    cache.put("a", "1", Duration.ofSeconds(1));
    now.addAndGet(Duration.ofSeconds(2).toNanos());

    cache.put("b", "2", Duration.ofSeconds(1));

    assertThat(events).containsExactly(CacheEvent.EXPIRED);
  }

  @Test
  void puttingAnExistingKeyReplacesItsValueAndTtl() {
    ExpiringLruCache<String, String> cache = cache(2);
    cache.put("k", "old", Duration.ofSeconds(1));
    cache.put("k", "new", Duration.ofMinutes(1));
    now.addAndGet(Duration.ofSeconds(2).toNanos());

    assertThat(cache.get("k")).isEqualTo("new");
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void hugeTtlsDoNotOverflowTheClock() {
    ExpiringLruCache<String, String> cache = cache(2);
    now.set(Long.MAX_VALUE - 10);
    cache.put("k", "v", Duration.ofSeconds(Long.MAX_VALUE));
    now.addAndGet(5);
    assertThat(cache.get("k")).isEqualTo("v");
  }

  @Test
  void clearDropsEverything() {
    ExpiringLruCache<String, String> cache = cache(2);
    cache.put("k", "v", Duration.ofMinutes(1));
    cache.clear();
    assertThat(cache.get("k")).isNull();
  }

  @Test
  void theBoundMustBePositive() {
    assertThatThrownBy(() -> cache(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxEntries must be at least 1, got 0");
  }

  @Test
  void concurrentUseKeepsTheBoundAndLosesNoEvent() throws Exception {
    int threads = 8;
    int perThread = 2_000;
    ExpiringLruCache<Integer, Integer> cache =
        new ExpiringLruCache<>(64, System::nanoTime, events::add);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        int seed = t;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    int key = (i * 31 + seed) % 200;
                    Integer value = cache.get(key);
                    if (value == null) {
                      cache.put(key, key * 2, Duration.ofHours(1));
                    } else {
                      assertThat(value).isEqualTo(key * 2);
                    }
                    assertThat(cache.size()).isLessThanOrEqualTo(64);
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    long lookups = events.stream().filter(e -> e == CacheEvent.HIT || e == CacheEvent.MISS).count();
    assertThat(lookups).isEqualTo((long) threads * perThread);
    long misses = events.stream().filter(e -> e == CacheEvent.MISS).count();
    long evicted = events.stream().filter(e -> e == CacheEvent.EVICTED).count();
    // every miss stored its value; what was not evicted (or replaced by a concurrent miss) remains
    assertThat(misses - evicted).isGreaterThanOrEqualTo(cache.size());
  }
}
