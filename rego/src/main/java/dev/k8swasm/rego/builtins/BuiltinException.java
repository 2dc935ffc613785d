package dev.k8swasm.rego.builtins;

/** A Rego built-in function failed, e.g. because an argument has the wrong type. */
public final class BuiltinException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** With the function's message, e.g. {@code "operand 1 must be string but got number"}. */
  public BuiltinException(String message) {
    super(message);
  }

  /** With the function's message and the cause. */
  public BuiltinException(String message, Throwable cause) {
    super(message, cause);
  }
}
