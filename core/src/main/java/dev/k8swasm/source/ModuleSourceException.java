package dev.k8swasm.source;

import java.util.Objects;

/**
 * A module reference could not be resolved: malformed, an unknown scheme, unreachable, refused, not
 * found, a digest or signature that does not match. The message is one line naming the reference
 * and the cause; it never contains credentials.
 */
public class ModuleSourceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String reference;

  /** A failure to resolve {@code reference}, described by {@code detail}. */
  public ModuleSourceException(String reference, String detail) {
    this(reference, detail, null);
  }

  /** A failure to resolve {@code reference} caused by {@code cause}. */
  public ModuleSourceException(String reference, String detail, Throwable cause) {
    super(Objects.requireNonNull(reference, "reference") + ": " + detail, cause);
    this.reference = reference;
  }

  /** The reference that could not be resolved, as written. */
  public String reference() {
    return reference;
  }
}
