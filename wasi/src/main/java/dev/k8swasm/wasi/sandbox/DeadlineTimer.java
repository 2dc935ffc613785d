package dev.k8swasm.wasi.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one timer of the library: a single daemon thread that interrupts evaluations running past
 * their deadline. Starting a deadline costs an allocation and a queue insertion; it neither wakes
 * the timer thread (except after a long idle period) nor needs cancelling: the timer checks its
 * deadlines every {@value #TICK_MILLIS} ms (sooner when one is due earlier) and forgets finished
 * ones. (A {@code ScheduledExecutorService} costs a wake-up of its thread per schedule and per
 * cancel, which dominated short evaluations.) A deadline fires within about one tick of its due
 * time.
 *
 * <p>Public for the sandbox package ({@code dev.k8swasm.wasi.sandbox}); not for applications.
 */
public final class DeadlineTimer {
  private static final int TICK_MILLIS = 5;
  private static final long TICK = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);

  /** Idle ticks before the timer thread parks until the next deadline starts (about 0.5 s). */
  private static final int IDLE_TICKS = 100;

  private static final ConcurrentLinkedQueue<Deadline> STARTED = new ConcurrentLinkedQueue<>();
  private static volatile boolean sleeping;
  private static final Thread THREAD = startThread();

  private DeadlineTimer() {}

  /** Starts a deadline for the calling thread: it is interrupted after {@code timeout}. */
  public static Deadline start(Duration timeout) {
    long now = System.nanoTime();
    long nanos = nanos(timeout);
    long due = now + nanos < now ? Long.MAX_VALUE : now + nanos;
    Deadline deadline = new Deadline(Thread.currentThread(), due);
    STARTED.offer(deadline);
    if (sleeping) {
      LockSupport.unpark(THREAD);
    }
    return deadline;
  }

  /** The timeout in nanoseconds; durations too long for a {@code long} saturate. */
  private static long nanos(Duration timeout) {
    try {
      return Math.max(0, timeout.toNanos());
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private static Thread startThread() {
    Thread thread = new Thread(DeadlineTimer::run, "k8s-wasm-deadline");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void run() {
    List<Deadline> active = new ArrayList<>();
    int idle = 0;
    while (true) {
      try {
        for (Deadline d; (d = STARTED.poll()) != null; ) {
          active.add(d);
        }
        long now = System.nanoTime();
        long next = now + TICK;
        int kept = 0;
        for (int i = 0; i < active.size(); i++) {
          Deadline d = active.get(i);
          if (!d.running()) {
            continue;
          }
          if (d.due() - now <= 0) {
            d.fire();
            continue;
          }
          if (d.due() - next < 0) {
            next = d.due();
          }
          active.set(kept++, d);
        }
        active.subList(kept, active.size()).clear();
        if (active.isEmpty() && ++idle > IDLE_TICKS) {
          sleeping = true;
          if (STARTED.isEmpty()) {
            LockSupport.park();
          }
          sleeping = false;
          idle = 0;
          continue;
        }
        if (!active.isEmpty()) {
          idle = 0;
        }
        LockSupport.parkNanos(Math.max(1, next - now));
      } catch (RuntimeException | Error e) {
        // Never let the timer die; an unexpected failure only delays this tick.
        LockSupport.parkNanos(TICK);
      }
    }
  }
}
