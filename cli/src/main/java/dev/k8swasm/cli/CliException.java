package dev.k8swasm.cli;

/**
 * A failure the user can fix (missing file, unparseable request, unsupported module...): reported
 * as one line {@code error: <message>} on stderr, exit code 1.
 */
public class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public CliException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause} (shown with --debug). */
  public CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
