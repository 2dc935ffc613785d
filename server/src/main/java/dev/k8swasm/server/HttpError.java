package dev.k8swasm.server;

/** A request that is answered with an error status and a reason, never a stack trace. */
final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String reason;

  /**
   * @param status the HTTP status
   * @param reason the metav1.Status reason, e.g. {@code BadRequest}
   * @param message what is wrong, for the client
   */
  HttpError(int status, String reason, String message) {
    super(message, null, false, false);
    this.status = status;
    this.reason = reason;
  }

  static HttpError badRequest(String message) {
    return new HttpError(400, "BadRequest", message);
  }

  static HttpError notFound(String message) {
    return new HttpError(404, "NotFound", message);
  }

  int status() {
    return status;
  }

  String reason() {
    return reason;
  }
}
