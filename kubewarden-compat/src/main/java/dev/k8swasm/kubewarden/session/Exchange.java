package dev.k8swasm.kubewarden.session;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * One recorded host capability call: the request and what the host answered.
 *
 * @param request the request
 * @param success whether the host answered with a payload (else with an error)
 * @param payload the answer (success) as UTF-8 text, empty on error
 * @param message the error message (error), empty on success
 */
public record Exchange(
    CallbackRequest request, boolean success, Optional<String> payload, Optional<String> message) {

  public Exchange {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(message, "message");
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
}
