package dev.k8swasm.serve;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP server's executor: a fixed number of workers with a bounded queue. When both are full
 * the exchange is not queued further: it runs on a small overflow pool with {@link #overloaded()}
 * set, and the handler answers 429 with {@code Retry-After} without reading or evaluating the
 * request (health and metrics requests are still answered). If even the overflow pool is full, the
 * HTTP server's dispatcher thread answers itself, which stops it from accepting connections for
 * that long: back-pressure reaches the clients' TCP connections instead of the heap.
 */
final class WorkerPool implements Executor {
  private static final ThreadLocal<Boolean> OVERLOADED = new ThreadLocal<>();

  private final ThreadPoolExecutor workers;
  private final ThreadPoolExecutor overflow;
  private final AtomicInteger pending = new AtomicInteger();

  WorkerPool(String name, int threads, int queue) {
    workers =
        new ThreadPoolExecutor(
            threads,
            threads,
            60,
            TimeUnit.SECONDS,
            queue == 0
                ? new java.util.concurrent.SynchronousQueue<>()
                : new ArrayBlockingQueue<>(queue),
            factory(name + "-worker"),
            new ThreadPoolExecutor.AbortPolicy());
    overflow =
        new ThreadPoolExecutor(
            1,
            2,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(64),
            factory(name + "-overflow"),
            new ThreadPoolExecutor.AbortPolicy());
  }

  /** Whether the current exchange arrived while the workers and their queue were full. */
  static boolean overloaded() {
    return Boolean.TRUE.equals(OVERLOADED.get());
  }

  @Override
  public void execute(Runnable exchange) {
    pending.incrementAndGet();
    Runnable tracked =
        () -> {
          try {
            exchange.run();
          } finally {
            pending.decrementAndGet();
          }
        };
    try {
      workers.execute(tracked);
      return;
    } catch (RejectedExecutionException e) {
      // full (or shutting down): answer without evaluating
    }
    Runnable refuse =
        () -> {
          OVERLOADED.set(Boolean.TRUE);
          try {
            tracked.run();
          } finally {
            OVERLOADED.remove();
          }
        };
    try {
      overflow.execute(refuse);
    } catch (RejectedExecutionException e) {
      refuse.run();
    }
  }

  /** Exchanges received and not yet answered. */
  int pending() {
    return pending.get();
  }

  /** Requests waiting for a worker. */
  int queued() {
    return workers.getQueue().size();
  }

  /** Workers busy. */
  int active() {
    return workers.getActiveCount();
  }

  /** Waits until nothing is pending, for at most {@code timeout}; true when drained. */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pending.get() > 0) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  /** Stops the threads (after the HTTP server has stopped). */
  void shutdown() {
    workers.shutdownNow();
    overflow.shutdownNow();
  }

  private static ThreadFactory factory(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
