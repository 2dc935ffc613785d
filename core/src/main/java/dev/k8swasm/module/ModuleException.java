package dev.k8swasm.module;

import java.util.Objects;

/**
 * A module failed to load or to evaluate. Carries the module's name and a stable {@link
 * FailureReason}; the message says what happened and, where it helps, what to do.
 *
 * <p>Messages never contain bearer tokens.
 */
public class ModuleException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String moduleName;
  private final FailureReason reason;
  private final String detail;

  /** A failure of {@code moduleName} for {@code reason}, described by {@code detail}. */
  public ModuleException(String moduleName, FailureReason reason, String detail) {
    this(moduleName, reason, detail, null);
  }

  /** A failure caused by {@code cause}. */
  public ModuleException(String moduleName, FailureReason reason, String detail, Throwable cause) {
    super("module '" + moduleName + "': " + detail + " [" + reason + "]", cause);
    this.moduleName = Objects.requireNonNull(moduleName, "moduleName");
    this.reason = Objects.requireNonNull(reason, "reason");
    this.detail = Objects.requireNonNull(detail, "detail");
  }

  /** The name of the module that failed. */
  public String moduleName() {
    return moduleName;
  }

  /** The machine-readable reason. */
  public FailureReason reason() {
    return reason;
  }

  /** The description without the module name and reason. */
  public String detail() {
    return detail;
  }
}
