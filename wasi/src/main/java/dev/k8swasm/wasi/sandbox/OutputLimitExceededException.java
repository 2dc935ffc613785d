package dev.k8swasm.wasi.sandbox;

/** A guest wrote more to stdout or stderr than {@code Limits.maxOutputBytes} allows. */
public final class OutputLimitExceededException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String stream;
  private final long limit;

  public OutputLimitExceededException(String stream, long limit) {
    super("more than " + limit + " bytes written to " + stream, null, false, false);
    this.stream = stream;
    this.limit = limit;
  }

  /** The stream written to: {@code stdout} or {@code stderr}. */
  public String stream() {
    return stream;
  }

  /** The limit in bytes. */
  public long limit() {
    return limit;
  }
}
