package dev.k8swasm.module;

/**
 * Why a module failed, as a stable machine-readable code. The catalogue is documented in the module
 * specification ({@code spec/module-spec.md}, "Errors").
 */
public enum FailureReason {
  /** The evaluation ran past its deadline and was interrupted. */
  TIMEOUT,
  /** The module tried to grow its memory past the configured maximum. */
  MEMORY_LIMIT,
  /** The module wrote more to stdout or stderr than allowed. */
  OUTPUT_LIMIT,
  /** The module trapped (unreachable, out-of-bounds access, stack exhaustion...). */
  TRAP,
  /** The module exited with a non-zero exit code. */
  EXIT_CODE,
  /** The module's output is not a valid output envelope or response. */
  BAD_OUTPUT,
  /** The module answered with a non-empty {@code error}. */
  MODULE_ERROR,
  /** The request is not acceptable (malformed, too large, wrong kind). */
  BAD_REQUEST,
  /** The module does not export what this kind of review needs. */
  UNSUPPORTED,
  /** The module could not be loaded: bad bytes, missing exports, unknown imports, too large. */
  LOAD_FAILED,
  /** The module rejected its settings. */
  INVALID_SETTINGS,
  /** A host capability called by the module failed. */
  HOST_ERROR,
  /** The module has been closed. */
  CLOSED,
  /** A bug in the host; please report it. */
  INTERNAL
}
