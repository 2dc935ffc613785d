package dev.k8swasm.wasi.sandbox;

import java.time.Clock;
import java.time.Instant;

/**
 * WASI's monotonic clock for one instance, read from the module's {@link Clock} (so a fixed clock
 * injected by a test fixes it too) and never going backwards, even when the wall clock is set back.
 * One instance runs on one thread at a time, so no synchronisation is needed.
 */
final class MonotonicClock {
  private final Clock clock;
  private long last = Long.MIN_VALUE;

  MonotonicClock(Clock clock) {
    this.clock = clock;
  }

  /** Nanoseconds since the epoch by the clock, or the last answer if the clock went back. */
  long nanos() {
    Instant now = clock.instant();
    long nanos;
    try {
      nanos =
          Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
    } catch (ArithmeticException outOfRange) {
      nanos = now.getEpochSecond() < 0 ? 0 : Long.MAX_VALUE;
    }
    last = Math.max(last, Math.max(nanos, 0));
    return last;
  }
}
