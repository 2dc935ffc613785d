package dev.k8swasm.kubewarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.json.Json;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/** A policy's answer to {@code validate_settings}: {@code {"valid": bool, "message": string?}}. */
public final class SettingsValidation {
  private final boolean valid;
  private final String message;

  private SettingsValidation(boolean valid, Optional<String> message) {
    this.valid = valid;
    this.message = message.orElse(null);
  }

  /** Whether the settings are accepted. */
  public boolean valid() {
    return valid;
  }

  /** Why not, if the policy said. */
  public Optional<String> message() {
    return Optional.ofNullable(message);
  }

  /** Valid settings. */
  public static SettingsValidation ok() {
    return new SettingsValidation(true, Optional.empty());
  }

  /** Invalid settings, for {@code message}. */
  public static SettingsValidation invalid(String message) {
    return new SettingsValidation(false, Optional.ofNullable(message));
  }

  /**
   * Parses a policy's answer.
   *
   * @throws IllegalArgumentException when it is not a settings validation response
   */
  public static SettingsValidation parse(byte[] json) {
    JsonNode root;
    try {
      root = Json.reader().readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "not JSON: " + ValidationResponse.oneLine(e.getMessage()), e);
    }
    if (root == null || root.isMissingNode()) {
      throw new IllegalArgumentException("the answer is empty");
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    JsonNode valid = root.get("valid");
    if (valid == null || !valid.isBoolean()) {
      throw new IllegalArgumentException("field 'valid' is missing or not a boolean");
    }
    JsonNode message = root.get("message");
    if (message != null && !message.isNull() && !message.isTextual()) {
      throw new IllegalArgumentException("field 'message' is not a string");
    }
    return new SettingsValidation(
        valid.asBoolean(),
        message == null || message.isNull() ? Optional.empty() : Optional.of(message.asText()));
  }

  /** The wire form. */
  public ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("valid", valid);
    if (message != null) {
      node.put("message", message);
    }
    return node;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SettingsValidation o
        && valid == o.valid
        && Objects.equals(message, o.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(valid, message);
  }

  @Override
  public String toString() {
    return "SettingsValidation[valid=" + valid + ", message=" + message + "]";
  }
}
