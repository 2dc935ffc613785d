package dev.k8swasm.wasi;

import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleException;

/**
 * Runs a module's export through its {@link InstanceLifecycle} under the evaluation deadline, and
 * turns every way the guest can fail into a {@link ModuleException}.
 */
final class Sandbox {
  private final String module;
  private final InstanceLifecycle lifecycle;
  private final Limits limits;

  Sandbox(String module, InstanceLifecycle lifecycle, Limits limits) {
    this.module = module;
    this.lifecycle = lifecycle;
    this.limits = limits;
  }

  /**
   * Calls {@code export} on the calling thread. Returns when the guest returned or called {@code
   * proc_exit(0)}; the thread's interrupt flag is as it was before.
   *
   * @throws ModuleException with TIMEOUT, OUTPUT_LIMIT, EXIT_CODE or TRAP
   */
  void run(String export, GuestIo io) {
    if (Thread.currentThread().isInterrupted()) {
      throw new ModuleException(
          module,
          FailureReason.TIMEOUT,
          "not started: the calling thread is interrupted (its interrupt flag is left set)");
    }
    Deadline deadline = DeadlineTimer.start(limits.timeout());
    Throwable failure = null;
    boolean fired;
    try {
      lifecycle.run(export, io);
    } catch (RuntimeException | StackOverflowError e) {
      failure = e;
    } finally {
      fired = deadline.finish();
    }
    if (failure != null && !GuestFailures.isCleanExit(failure)) {
      throw GuestFailures.classify(module, failure, fired, limits, io.stderr());
    }
  }
}
