package dev.k8swasm.kubewarden.session;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/** One recorded host capability call: the request and what the host answered. */
public final class Exchange {
  private final CallbackRequest request;
  private final boolean success;
  private final String payload;
  private final String message;

  Exchange(
      CallbackRequest request,
      boolean success,
      Optional<String> payload,
      Optional<String> message) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(message, "message");
    this.request = request;
    this.success = success;
    this.payload = payload.orElse(null);
    this.message = message.orElse(null);
  }

  /** The request. */
  public CallbackRequest request() {
    return request;
  }

  /** Whether the host answered with a payload (else with an error). */
  public boolean success() {
    return success;
  }

  /** The answer (success) as UTF-8 text, empty on error. */
  public Optional<String> payload() {
    return Optional.ofNullable(payload);
  }

  /** The error message (error), empty on success. */
  public Optional<String> message() {
    return Optional.ofNullable(message);
  }

  /** A successful exchange answered with {@code payload}. */
  public static Exchange success(CallbackRequest request, byte[] payload) {
    return new Exchange(
        request, true, Optional.of(new String(payload, StandardCharsets.UTF_8)), Optional.empty());
  }

  /** A failed exchange answered with {@code message}. */
  public static Exchange error(CallbackRequest request, String message) {
    return new Exchange(request, false, Optional.empty(), Optional.of(message));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Exchange o
        && Objects.equals(request, o.request)
        && success == o.success
        && Objects.equals(payload, o.payload)
        && Objects.equals(message, o.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(request, success, payload, message);
  }

  @Override
  public String toString() {
    return "Exchange[request="
        + request
        + ", success="
        + success
        + ", payload="
        + payload
        + ", message="
        + message
        + "]";
  }
}
