package dev.k8swasm.wasi;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one timer of the library: a single daemon thread that interrupts evaluations running past
 * their deadline. Shared by all modules; cancelled deadlines are removed at once, so finished
 * evaluations leave nothing behind.
 */
final class DeadlineTimer {
  private static final ScheduledThreadPoolExecutor TIMER = createTimer();

  private DeadlineTimer() {}

  /** Starts a deadline for the calling thread: it is interrupted after {@code timeout}. */
  static Deadline start(Duration timeout) {
    Deadline deadline = new Deadline(Thread.currentThread());
    deadline.scheduled(TIMER.schedule(deadline::fire, nanos(timeout), TimeUnit.NANOSECONDS));
    return deadline;
  }

  /** The timeout in nanoseconds; durations too long for a {@code long} saturate. */
  private static long nanos(Duration timeout) {
    try {
      return timeout.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private static ScheduledThreadPoolExecutor createTimer() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "k8s-wasm-deadline");
              thread.setDaemon(true);
              return thread;
            });
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return timer;
  }
}
