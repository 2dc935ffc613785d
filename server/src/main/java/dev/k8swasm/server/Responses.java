package dev.k8swasm.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Writes answers: JSON reviews, probe and metrics text, and errors as a {@code metav1.Status} JSON
 * document (never HTML, never a Java class name). Also Jetty's own error handler, so that errors
 * Jetty answers itself (431 for oversized headers, 400 for malformed requests) are JSON too.
 */
final class Responses implements Request.Handler {
  static final String JSON = "application/json";
  static final String TEXT = "text/plain; charset=utf-8";

  /** The content type of the Prometheus text format. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final ServerMetrics metrics;

  Responses(ServerMetrics metrics) {
    this.metrics = metrics;
  }

  /** Sends {@code body} with {@code status}. */
  static void send(Response response, int status, String type, byte[] body, Callback callback) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  static void send(Response response, int status, String type, String body, Callback callback) {
    send(response, status, type, body.getBytes(StandardCharsets.UTF_8), callback);
  }

  /** Sends {@code error} as a {@code metav1.Status}. */
  static void error(Response response, HttpError error, Callback callback) {
    send(
        response,
        error.status(),
        JSON,
        status(error.status(), error.reason(), error.getMessage()),
        callback);
  }

  /** A {@code metav1.Status} failure document. */
  static byte[] status(int code, String reason, String message) {
    ObjectNode status = JsonNodeFactory.instance.objectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", message);
    status.put("reason", reason);
    status.put("code", code);
    return Json.write(status);
  }

  /** policy-server's error body: {@code {"message": ..., "status": CODE}}. */
  static byte[] policyServerError(int code, String message) {
    ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    body.put("message", message);
    body.put("status", code);
    return Json.write(body);
  }

  /** Sets {@code Retry-After} (whole seconds, at least 1). */
  static void retryAfter(Response response, Duration after) {
    response
        .getHeaders()
        .put(HttpHeader.RETRY_AFTER, Long.toString(Math.max(1, (after.toMillis() + 999) / 1000)));
  }

  /**
   * Asks the client to close its connection after this answer: {@code Connection: close} on
   * HTTP/1.1 (HTTP/2 connections are told with GOAWAY when the server stops).
   */
  static void closeConnection(Request request, Response response) {
    if (request.getConnectionMetaData().getHttpVersion() != HttpVersion.HTTP_2) {
      response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    }
  }

  /** Jetty's error handler: errors it answers itself (bad requests, 431...) as JSON. */
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int code = response.getStatus();
    if (code < 400) {
      code = 500;
    }
    String reason = reason(code);
    String message =
        switch (code) {
          case 431 ->
              "the request headers are larger than the limit (limits.maxHeaderBytes); send fewer"
                  + " or smaller headers";
          case 408 -> "the request did not arrive in time";
          case 400 -> "malformed HTTP request";
          default -> HttpStatus.getMessage(code);
        };
    metrics.request("other", code, 0);
    send(response, code, JSON, status(code, reason, message), callback);
    return true;
  }

  /** The {@code metav1.Status} reason of an HTTP status. */
  static String reason(int code) {
    return switch (code) {
      case 400 -> "BadRequest";
      case 404 -> "NotFound";
      case 405 -> "MethodNotAllowed";
      case 408 -> "Timeout";
      case 413 -> "RequestEntityTooLarge";
      case 429 -> "TooManyRequests";
      case 431 -> "RequestHeaderFieldsTooLarge";
      case 503 -> "ServiceUnavailable";
      default -> code >= 500 ? "InternalError" : "BadRequest";
    };
  }
}
