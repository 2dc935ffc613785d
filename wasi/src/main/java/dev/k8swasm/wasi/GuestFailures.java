package dev.k8swasm.wasi;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExecutionCompletedException;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasm.ChicoryException;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleException;

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
   */
  static ModuleException classify(
      String module,
      Throwable failure,
      boolean deadlineFired,
      Limits limits,
      BoundedOutput stderr) {
    String stderrNote = Messages.stderrNote(stderr);
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
    String description = failure.getMessage() == null ? "" : failure.getMessage();
    String what =
        failure instanceof ChicoryException
            ? "trapped: " + description
            : "failed: " + failure.getClass().getName() + ": " + description;
    return new ModuleException(
        module,
        FailureReason.TRAP,
        Messages.excerpt(what, Messages.STDERR_CHARS) + stderrNote,
        failure);
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
