package dev.k8swasm.server;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission control of evaluations: which request is evaluated when, on which thread.
 *
 * <p>Requests go into lanes (one per endpoint, and one per module of {@code /mutate/NAME} and
 * {@code /validate/NAME}). A lane runs at most {@code moduleConcurrency} evaluations at once and
 * lets at most {@code moduleQueueSize} wait; above that (or when {@code queueSize} requests wait in
 * all) a request is refused at once ({@link Outcome#REFUSED}: 429). So a slow module fills only its
 * own lane, and the other lanes keep workers. TokenReviews run on their own threads: authentication
 * never waits behind authorization or admission.
 *
 * <p>A waiting request has a deadline; when it passes before a worker takes the request, the
 * request is dropped without evaluation ({@link Job#dropped}: 503). A request whose client has gone
 * is dropped when its turn comes.
 */
final class Admission implements AutoCloseable {

  /** What happened to a submitted request. */
  enum Outcome {
    /** Running or waiting; the job will run or be dropped. */
    ACCEPTED,
    /** Refused at once: its lane (or the whole queue) is full. */
    REFUSED
  }

  /** Why a job was not run. */
  enum Drop {
    /** It waited past its deadline. */
    EXPIRED,
    /** Its client went away while it waited. */
    CLIENT_GONE,
    /** The server is stopping. */
    SHUTDOWN
  }

  /** A request to evaluate. */
  interface Job {
    /** Whether the client still waits for the answer. */
    boolean wanted();

    /** Evaluates and answers (on a worker). */
    void run();

    /** Answers without evaluating. */
    void dropped(Drop reason);
  }

  private static final class Lane {
    final ArrayDeque<Entry> waiting = new ArrayDeque<>();
    int running;
  }

  private static final class Entry {
    final Job job;
    final long deadline;
    final Lane lane;
    final ThreadPoolExecutor executor;
    ScheduledFuture<?> expiry;

    Entry(Job job, long deadline, Lane lane, ThreadPoolExecutor executor) {
      this.job = job;
      this.deadline = deadline;
      this.lane = lane;
      this.executor = executor;
    }
  }

  private final int laneConcurrency;
  private final int laneQueue;
  private final int totalQueue;
  private final ThreadPoolExecutor workers;
  private final ThreadPoolExecutor authenticators;
  private final ScheduledThreadPoolExecutor timer;
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();

  Admission(int workers, int queueSize, ServerLimits limits) {
    this.laneConcurrency = Math.min(workers, limits.moduleConcurrency());
    this.laneQueue = Math.min(queueSize, limits.moduleQueueSize());
    this.totalQueue = queueSize;
    // only requests holding a lane slot are handed to the pools: their queues stay short
    this.workers = pool(workers, "k8s-wasm-worker");
    this.authenticators = pool(limits.authenticationWorkers(), "k8s-wasm-authn");
    this.timer = new ScheduledThreadPoolExecutor(1, factory("k8s-wasm-admission"));
    timer.setRemoveOnCancelPolicy(true);
  }

  private static ThreadPoolExecutor pool(int threads, String name) {
    return new ThreadPoolExecutor(
        threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory(name));
  }

  /**
   * Submits {@code job} to the lane {@code laneKey}; it must start by {@code deadlineNanos} (as
   * {@link System#nanoTime()}).
   */
  Outcome submit(String laneKey, boolean authentication, long deadlineNanos, Job job) {
    Lane lane = lanes.computeIfAbsent(laneKey, k -> new Lane());
    Entry e = new Entry(job, deadlineNanos, lane, authentication ? authenticators : workers);
    synchronized (lane) {
      if (lane.running < laneConcurrency) {
        lane.running++;
        pending.incrementAndGet();
      } else if (lane.waiting.size() < laneQueue && reserveQueueSlot()) {
        lane.waiting.add(e);
        pending.incrementAndGet();
        long delay = Math.max(0, deadlineNanos - System.nanoTime());
        e.expiry = timer.schedule(() -> expire(e), delay, TimeUnit.NANOSECONDS);
        return Outcome.ACCEPTED;
      } else {
        return Outcome.REFUSED;
      }
    }
    dispatch(e);
    return Outcome.ACCEPTED;
  }

  private boolean reserveQueueSlot() {
    if (waiting.incrementAndGet() <= totalQueue) {
      return true;
    }
    waiting.decrementAndGet();
    return false;
  }

  private void expire(Entry e) {
    synchronized (e.lane) {
      if (!e.lane.waiting.remove(e)) {
        return;
      }
      waiting.decrementAndGet();
    }
    drop(e, Drop.EXPIRED);
  }

  private void drop(Entry e, Drop reason) {
    try {
      e.job.dropped(reason);
    } finally {
      pending.decrementAndGet();
    }
  }

  private void dispatch(Entry e) {
    try {
      e.executor.execute(() -> run(e));
    } catch (RejectedExecutionException stopping) {
      release(e.lane);
      drop(e, Drop.SHUTDOWN);
    }
  }

  private void run(Entry e) {
    try {
      if (!e.job.wanted()) {
        e.job.dropped(Drop.CLIENT_GONE);
      } else if (System.nanoTime() - e.deadline > 0) {
        e.job.dropped(Drop.EXPIRED);
      } else {
        running.incrementAndGet();
        try {
          e.job.run();
        } finally {
          running.decrementAndGet();
        }
      }
    } finally {
      pending.decrementAndGet();
      release(e.lane);
    }
  }

  /** Frees a slot of {@code lane}: the next waiting request of the lane takes it. */
  private void release(Lane lane) {
    Entry next;
    synchronized (lane) {
      next = lane.waiting.poll();
      if (next == null) {
        lane.running--;
        return;
      }
      waiting.decrementAndGet();
    }
    if (next.expiry != null) {
      next.expiry.cancel(false);
    }
    dispatch(next);
  }

  /** Requests accepted and not yet answered (running or waiting). */
  int pending() {
    return pending.get();
  }

  /** Requests waiting for a worker. */
  int queued() {
    return waiting.get();
  }

  /** Evaluations running. */
  int running() {
    return running.get();
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

  /** Stops the threads: waiting requests are dropped, running evaluations interrupted. */
  @Override
  public void close() {
    timer.shutdownNow();
    for (Lane lane : lanes.values()) {
      while (true) {
        Entry e;
        synchronized (lane) {
          e = lane.waiting.poll();
          if (e == null) {
            break;
          }
          waiting.decrementAndGet();
        }
        drop(e, Drop.SHUTDOWN);
      }
    }
    workers.shutdownNow();
    authenticators.shutdownNow();
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
