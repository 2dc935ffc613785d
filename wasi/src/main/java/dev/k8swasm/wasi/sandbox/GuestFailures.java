package dev.k8swasm.wasi.sandbox;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExecutionCompletedException;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasm.ChicoryException;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleException;
import java.util.Locale;

/**
 * Maps what a guest run threw to a {@link ModuleException} with the right {@link FailureReason}.
 */
final class GuestFailures {
  private GuestFailures() {}

  /** Whether {@code failure} is really a success: {@code proc_exit(0)}. */
  static boolean isCleanExit(Throwable failure) {
    return failure instanceof ExecutionCompletedException
        || failure instanceof WasiExitException exit && exit.exitCode() == 0;
  }

  /**
   * Classifies a failed run.
   *
   * @param deadlineFired whether the evaluation's deadline interrupted it: then it is a {@link
   *     FailureReason#TIMEOUT} whatever Chicory made of the interrupt
   * @param deniedGrowth the pages of a {@code memory.grow} refused during the evaluation because of
   *     the memory limit, or -1: a trap or exit that follows is reported as {@link
   *     FailureReason#MEMORY_LIMIT}
   * @param secret text the message must not contain (the bearer token under review), or null
   */
  static ModuleException classify(
      String module,
      Throwable failure,
      boolean deadlineFired,
      Limits limits,
      BoundedOutput stderr,
      int deniedGrowth,
      String secret) {
    String stderrNote = Messages.stderrNote(stderr, secret);
    if (deadlineFired) {
      return new ModuleException(
          module,
          FailureReason.TIMEOUT,
          "did not finish within "
              + Messages.duration(limits.timeout())
              + " (Limits.timeout) and was stopped"
              + stderrNote,
          failure);
    }
    OutputLimitExceededException output = find(failure, OutputLimitExceededException.class);
    if (output != null) {
      return new ModuleException(
          module,
          FailureReason.OUTPUT_LIMIT,
          "wrote more than "
              + output.limit()
              + " bytes to "
              + output.stream()
              + " (Limits.maxOutputBytes) and was stopped"
              + stderrNote,
          failure);
    }
    if (deniedGrowth >= 0 && !isCleanExit(failure)) {
      return new ModuleException(
          module,
          FailureReason.MEMORY_LIMIT,
          "memory limit "
              + quantity(limits.maxMemoryBytes())
              + " reached (memory.grow of "
              + deniedGrowth
              + (deniedGrowth == 1 ? " page" : " pages")
              + " denied; Limits.maxMemoryBytes), then "
              + Messages.excerpt(describe(failure), Messages.STDERR_CHARS, secret)
              + stderrNote,
          failure);
    }
    WasiExitException exit = find(failure, WasiExitException.class);
    if (exit != null) {
      return new ModuleException(
          module,
          FailureReason.EXIT_CODE,
          "exited with code " + exit.exitCode() + stderrNote,
          failure);
    }
    if (find(failure, ChicoryInterruptedException.class) != null) {
      return new ModuleException(
          module,
          FailureReason.TIMEOUT,
          "was interrupted before it finished (the calling thread was interrupted)" + stderrNote,
          failure);
    }
    if (find(failure, StackOverflowError.class) != null) {
      return new ModuleException(
          module,
          FailureReason.TRAP,
          "trapped: call stack exhausted (the module's calls nest deeper than the JVM thread"
              + " stack allows)"
              + stderrNote,
          failure);
    }
    return new ModuleException(
        module,
        FailureReason.TRAP,
        Messages.excerpt(describe(failure), Messages.STDERR_CHARS, secret) + stderrNote,
        failure);
  }

  private static String describe(Throwable failure) {
    WasiExitException exit = find(failure, WasiExitException.class);
    if (exit != null) {
      return "exited with code " + exit.exitCode();
    }
    if (find(failure, StackOverflowError.class) != null) {
      return "trapped: call stack exhausted";
    }
    String description = failure.getMessage() == null ? "" : failure.getMessage();
    return failure instanceof ChicoryException
        ? "trapped: " + description
        : "failed: " + failure.getClass().getName() + ": " + description;
  }

  /** A byte count as Kubernetes quantities write it when it is a whole number of KiB/MiB/GiB. */
  static String quantity(long bytes) {
    String[] units = {"Gi", "Mi", "Ki"};
    int[] shifts = {30, 20, 10};
    for (int i = 0; i < units.length; i++) {
      long unit = 1L << shifts[i];
      if (bytes >= unit && bytes % unit == 0) {
        return (bytes / unit) + units[i];
      }
    }
    return String.format(Locale.ROOT, "%d bytes", bytes);
  }

  private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
