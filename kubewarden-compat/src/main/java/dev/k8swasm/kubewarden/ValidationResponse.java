package dev.k8swasm.kubewarden;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a Kubewarden policy answers to {@code validate} (snake_case on the wire):
 *
 * <pre>{@code {"accepted": bool, "message": string?, "code": int?, "mutated_object": any?,
 *  "audit_annotations": {string: string}?, "warnings": [string]?}}</pre>
 *
 * Unknown fields are ignored, as Kubewarden's SDK does.
 */
public final class ValidationResponse {
  private final boolean accepted;
  private final String message;
  private final Integer code;
  private final JsonNode mutatedObject;
  private final Map<String, String> auditAnnotations;
  private final List<String> warnings;

  private ValidationResponse(
      boolean accepted,
      Optional<String> message,
      Optional<Integer> code,
      Optional<JsonNode> mutatedObject,
      Optional<Map<String, String>> auditAnnotations,
      Optional<List<String>> warnings) {
    this.accepted = accepted;
    this.message = message.orElse(null);
    this.code = code.orElse(null);
    this.mutatedObject = mutatedObject.orElse(null);
    this.auditAnnotations = auditAnnotations.orElse(null);
    this.warnings = warnings.orElse(null);
  }

  /** Whether the request is accepted. */
  public boolean accepted() {
    return accepted;
  }

  /** Why it was rejected, if given. */
  public Optional<String> message() {
    return Optional.ofNullable(message);
  }

  /** The HTTP code of the rejection, if given. */
  public Optional<Integer> code() {
    return Optional.ofNullable(code);
  }

  /** The object as the policy wants it stored, if it mutates. */
  public Optional<JsonNode> mutatedObject() {
    return Optional.ofNullable(mutatedObject);
  }

  /** Annotations for the audit log, if any. */
  public Optional<Map<String, String>> auditAnnotations() {
    return Optional.ofNullable(auditAnnotations);
  }

  /** Warnings for the client, if any. */
  public Optional<List<String>> warnings() {
    return Optional.ofNullable(warnings);
  }

  /**
   * Parses a policy's answer.
   *
   * @throws IllegalArgumentException when it is not a ValidationResponse
   */
  public static ValidationResponse parse(byte[] json) {
    JsonNode root;
    try {
      root = Json.reader().readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + oneLine(e.getMessage()), e);
    }
    if (root == null || root.isMissingNode()) {
      throw new IllegalArgumentException("the answer is empty");
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    JsonNode accepted = root.get("accepted");
    if (accepted == null || !accepted.isBoolean()) {
      throw new IllegalArgumentException("field 'accepted' is missing or not a boolean");
    }
    Optional<String> message = Optional.empty();
    JsonNode m = root.get("message");
    if (m != null && !m.isNull()) {
      if (!m.isTextual()) {
        throw new IllegalArgumentException("field 'message' is not a string");
      }
      message = Optional.of(m.asText());
    }
    Optional<Integer> code = Optional.empty();
    JsonNode c = root.get("code");
    if (c != null && !c.isNull()) {
      if (!c.isIntegralNumber() || !c.canConvertToInt() || c.asInt() < 0 || c.asInt() > 65535) {
        throw new IllegalArgumentException("field 'code' is not an HTTP status code (0-65535)");
      }
      code = Optional.of(c.asInt());
    }
    Optional<JsonNode> mutated = Optional.ofNullable(root.get("mutated_object"));
    if (mutated.isPresent() && mutated.get().isNull()) {
      mutated = Optional.empty();
    }
    Optional<Map<String, String>> annotations = Optional.empty();
    JsonNode a = root.get("audit_annotations");
    if (a != null && !a.isNull()) {
      if (!a.isObject()) {
        throw new IllegalArgumentException("field 'audit_annotations' is not an object");
      }
      Map<String, String> map = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : a.properties()) {
        if (!e.getValue().isTextual()) {
          throw new IllegalArgumentException(
              "audit annotation '" + e.getKey() + "' is not a string");
        }
        map.put(e.getKey(), e.getValue().asText());
      }
      annotations = Optional.of(map);
    }
    Optional<List<String>> warnings = Optional.empty();
    JsonNode w = root.get("warnings");
    if (w != null && !w.isNull()) {
      if (!w.isArray()) {
        throw new IllegalArgumentException("field 'warnings' is not a list");
      }
      List<String> list = new ArrayList<>();
      for (JsonNode item : w) {
        if (!item.isTextual()) {
          throw new IllegalArgumentException("field 'warnings' holds a value that is not a string");
        }
        list.add(item.asText());
      }
      warnings = Optional.of(list);
    }
    return new ValidationResponse(
        accepted.asBoolean(), message, code, mutated, annotations, warnings);
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ValidationResponse o
        && accepted == o.accepted
        && Objects.equals(message, o.message)
        && Objects.equals(code, o.code)
        && Objects.equals(mutatedObject, o.mutatedObject)
        && Objects.equals(auditAnnotations, o.auditAnnotations)
        && Objects.equals(warnings, o.warnings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(accepted, message, code, mutatedObject, auditAnnotations, warnings);
  }

  @Override
  public String toString() {
    return "ValidationResponse[accepted="
        + accepted
        + ", message="
        + message
        + ", code="
        + code
        + ", mutatedObject="
        + mutatedObject
        + ", auditAnnotations="
        + auditAnnotations
        + ", warnings="
        + warnings
        + "]";
  }
}
