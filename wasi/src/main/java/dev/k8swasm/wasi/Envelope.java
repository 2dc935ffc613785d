package dev.k8swasm.wasi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Builds the input envelope {@code {"request":<request>,"settings":<settings>}} by concatenating
 * bytes: the request is not parsed again, the settings are serialised once. {@code settings} is
 * left out when the module has none, as the contract allows.
 */
final class Envelope {
  private static final byte[] PREFIX = "{\"request\":".getBytes(StandardCharsets.UTF_8);

  private final byte[] suffix;

  Envelope(Optional<JsonNode> settings) {
    ByteArrayOutputStream tail = new ByteArrayOutputStream();
    settings.ifPresent(
        s -> {
          tail.writeBytes(",\"settings\":".getBytes(StandardCharsets.UTF_8));
          tail.writeBytes(Json.write(s));
        });
    tail.write('}');
    this.suffix = tail.toByteArray();
  }

  /** The envelope around {@code request}, which must be one JSON value. */
  byte[] wrap(byte[] request) {
    byte[] envelope = new byte[PREFIX.length + request.length + suffix.length];
    System.arraycopy(PREFIX, 0, envelope, 0, PREFIX.length);
    System.arraycopy(request, 0, envelope, PREFIX.length, request.length);
    System.arraycopy(suffix, 0, envelope, PREFIX.length + request.length, suffix.length);
    return envelope;
  }
}
