package dev.k8swasm.wasi;

/** A guest wrote more to stdout or stderr than {@code Limits.maxOutputBytes} allows. */
final class OutputLimitExceededException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String stream;
  private final long limit;

  OutputLimitExceededException(String stream, long limit) {
    super("more than " + limit + " bytes written to " + stream, null, false, false);
    this.stream = stream;
    this.limit = limit;
  }

  /** The stream written to: {@code stdout} or {@code stderr}. */
  String stream() {
    return stream;
  }

  /** The limit in bytes. */
  long limit() {
    return limit;
  }
}
