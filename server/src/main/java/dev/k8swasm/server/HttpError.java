package dev.k8swasm.server;

/** A request that is answered with an error status and a reason, never a stack trace. */
final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String reason;
  private final boolean policyServer;

  /**
   * @param status the HTTP status
   * @param reason the metav1.Status reason, e.g. {@code BadRequest}
   * @param message what is wrong, for the client
   */
  HttpError(int status, String reason, String message) {
    this(status, reason, message, false);
  }

  private HttpError(int status, String reason, String message, boolean policyServer) {
    super(message, null, false, false);
    this.status = status;
    this.reason = reason;
    this.policyServer = policyServer;
  }

  /**
   * An error of a policy-server endpoint, answered with policy-server's body {@code {"message":
   * ..., "status": CODE}}.
   */
  static HttpError policyServer(int status, String reason, String message) {
    return new HttpError(status, reason, message, true);
  }

  /** Whether the body is policy-server's {@code {"message", "status"}} instead of a Status. */
  boolean policyServer() {
    return policyServer;
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
