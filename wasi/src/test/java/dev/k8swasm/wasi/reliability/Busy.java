package dev.k8swasm.wasi.reliability;

import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import java.time.Duration;
import java.util.Set;

/**
 * The tests run on small, busy machines (two cores shared with other builds), where an evaluation
 * that normally takes a millisecond can now and then outlast a 300 ms deadline. Such a TIMEOUT is
 * told apart from a bug by its timing: the deadline really passed. Only then may a test try again,
 * at most twice; each retry is counted in the reliability report. A TIMEOUT before the deadline
 * passed (a stray interrupt, say) is never retried.
 */
final class Busy {
  static final int RETRIES = 2;
  private static final String TABLE = "Retries: deadline passed on a busy machine";

  static {
    ReliabilityReport.columns(TABLE, "what");
  }

  private Busy() {}

  /**
   * Whether attempt number {@code attempt} (from 0), which failed with {@code failure} after {@code
   * elapsed}, may be tried again: it timed out although {@code expected} has no TIMEOUT, and only
   * after its {@code deadline} really passed.
   */
  static boolean tooBusy(
      ModuleException failure,
      Set<FailureReason> expected,
      Duration deadline,
      Duration elapsed,
      int attempt,
      String what) {
    boolean retry =
        failure.reason() == FailureReason.TIMEOUT
            && !expected.contains(FailureReason.TIMEOUT)
            && elapsed.compareTo(deadline) >= 0
            && attempt < RETRIES;
    if (retry) {
      ReliabilityReport.count(TABLE, what);
    }
    return retry;
  }
}
