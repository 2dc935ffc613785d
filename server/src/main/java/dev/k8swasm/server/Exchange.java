package dev.k8swasm.server;

import dev.k8swasm.observe.Evaluation;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request from arrival to answer: sends the answer once and records it once (metrics, and the
 * access log for review endpoints). A client that went away before its answer was sent is recorded
 * as 499, not as a server error.
 */
final class Exchange {
  private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);

  /** The status recorded when the client went away before the answer. */
  static final int CLIENT_CLOSED = 499;

  final long id;
  final long start = System.nanoTime();
  final Route route;
  final String path;
  final Request request;
  final Response response;
  private final Callback callback;
  private final ServerMetrics metrics;
  private final AccessLog accessLog;
  private final AtomicBoolean answered = new AtomicBoolean();
  private volatile boolean gone;
  private volatile Reviews.Answer answer;
  private volatile List<Evaluation> evaluations = List.of();

  Exchange(
      long id,
      Route route,
      String path,
      Request request,
      Response response,
      Callback callback,
      ServerMetrics metrics,
      AccessLog accessLog) {
    this.id = id;
    this.route = route;
    this.path = path;
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.metrics = metrics;
    this.accessLog = accessLog;
    request.addFailureListener(failure -> gone = true);
  }

  /** The {@code endpoint} label. */
  String endpoint() {
    return route == null ? "other" : route.label;
  }

  /** Whether the client went away (reset its stream or closed its connection). */
  boolean gone() {
    return gone || !request.getConnectionMetaData().getConnection().getEndPoint().isOpen();
  }

  /** Sends a review's answer. */
  void answer(Reviews.Answer answer, List<Evaluation> evaluations) {
    this.answer = answer;
    this.evaluations = List.copyOf(evaluations);
    send(200, Responses.JSON, answer.body(), answer.message());
  }

  /** Sends {@code body}. */
  void send(int status, String type, byte[] body, String message) {
    if (!answered.compareAndSet(false, true)) {
      return;
    }
    Responses.send(response, status, type, body, recording(status, message));
  }

  /** Sends an error as a {@code metav1.Status}. */
  void fail(HttpError e) {
    send(
        e.status(),
        Responses.JSON,
        e.policyServer()
            ? Responses.policyServerError(e.status(), e.getMessage())
            : Responses.status(e.status(), e.reason(), e.getMessage()),
        e.getMessage());
  }

  /** Sends an error, with the evaluations made before it. */
  void fail(HttpError e, List<Evaluation> evaluations) {
    this.evaluations = List.copyOf(evaluations);
    fail(e);
  }

  /** Ends an exchange whose client has gone: nothing is sent; recorded as 499. */
  void abandon(String why) {
    if (!answered.compareAndSet(false, true)) {
      return;
    }
    record(CLIENT_CLOSED, why);
    callback.failed(new org.eclipse.jetty.io.EofException(why));
  }

  private Callback recording(int status, String message) {
    return Callback.from(
        () -> {
          record(status, message);
          callback.succeeded();
        },
        failure -> {
          record(CLIENT_CLOSED, "the client went away before the answer was sent");
          callback.failed(failure);
        });
  }

  private void record(int status, String message) {
    long nanos = System.nanoTime() - start;
    metrics.request(endpoint(), status, nanos);
    if (route != null && route.ops) {
      return;
    }
    Reviews.Answer a = answer;
    try {
      accessLog.log(
          new AccessLog.Entry(
              id,
              a == null ? null : a.uid(),
              route == null ? "other" : route.label,
              route != null && Route.single(route) ? Route.module(path) : null,
              status,
              a == null ? null : a.decision(),
              a == null ? null : a.user(),
              evaluations,
              nanos,
              message));
    } catch (RuntimeException e) {
      LOG.warn("access log failed: {}", LogText.escape(e.toString()));
    }
  }
}
