package dev.k8swasm.wasi.sandbox;

import dev.k8swasm.module.Limits;

/**
 * What the host side of one instance can see, given to the {@link HostImports} factory when the
 * instance is created. The streams are those of the phase the instance is in: during initialisation
 * an empty stdin and throw-away outputs, during an evaluation the evaluation's input and captured
 * outputs. Used by the one thread that runs the instance.
 */
public interface GuestContext {

  /** The module's name, for messages and log lines. */
  String moduleName();

  /** The module's limits. */
  Limits limits();

  /**
   * The guest's stdin: what WASI {@code fd_read(0, ...)} returns. Host functions may {@linkplain
   * GuestInput#append append} to it (Kubewarden's WASI mode answers host calls on stdin).
   */
  GuestInput stdin();

  /** What the guest wrote to stdout in the current phase, bounded by {@link Limits}. */
  BoundedOutput stdout();

  /** What the guest wrote to stderr in the current phase, bounded by {@link Limits}. */
  BoundedOutput stderr();
}
