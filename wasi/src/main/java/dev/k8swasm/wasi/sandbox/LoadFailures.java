package dev.k8swasm.wasi.sandbox;

import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleSpec;

/**
 * Builds the {@link FailureReason#LOAD_FAILED} exceptions: what is wrong, where, and what to do.
 */
public final class LoadFailures {
  private LoadFailures() {}

  /** {@code problem} names what is wrong; {@code remedy} says what to do about it. */
  public static ModuleException of(ModuleSpec spec, String problem, String remedy) {
    return of(spec, problem, remedy, null);
  }

  public static ModuleException of(
      ModuleSpec spec, String problem, String remedy, Throwable cause) {
    return new ModuleException(
        spec.name(),
        FailureReason.LOAD_FAILED,
        "cannot load " + spec.origin() + ": " + problem + ". " + remedy,
        cause);
  }
}
