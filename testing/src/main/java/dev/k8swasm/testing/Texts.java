package dev.k8swasm.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import dev.k8swasm.json.Redaction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/** Text helpers for failure messages. */
final class Texts {
  /** The longest JSON document quoted in a message. */
  static final int MAX_QUOTE = 6000;

  private Texts() {}

  /** Pretty JSON of a tree or wire type, tokens redacted. */
  static String pretty(Object value) {
    if (value == null) {
      return "null";
    }
    try {
      return Redaction.redact(Json.writer().withDefaultPrettyPrinter().writeValueAsString(value));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return Redaction.redact(String.valueOf(value));
    }
  }

  /** Pretty JSON of a JSON document given as bytes, tokens redacted. */
  static String pretty(byte[] json) {
    try {
      return pretty(Json.reader().readTree(json));
    } catch (IOException | RuntimeException e) {
      return redact(new String(json, StandardCharsets.UTF_8));
    }
  }

  static String redact(String text) {
    return text == null ? "null" : Redaction.redact(text);
  }

  /** {@code text}, cut after {@link #MAX_QUOTE} characters with a note of what was left out. */
  static String truncate(String text) {
    if (text.length() <= MAX_QUOTE) {
      return text;
    }
    return text.substring(0, MAX_QUOTE)
        + "\n... ("
        + (text.length() - MAX_QUOTE)
        + " more characters)";
  }

  /** Every line indented by four spaces. */
  static String indent(String text) {
    return text.lines().map(l -> "    " + l).collect(Collectors.joining("\n"));
  }

  /** A quoted string or null. */
  static String quote(String s) {
    return s == null ? "null" : "\"" + s + "\"";
  }

  /** A list of quoted strings. */
  static String quote(List<String> list) {
    return list == null
        ? "null"
        : list.stream().map(Texts::quote).collect(Collectors.joining(", ", "[", "]"));
  }

  /** Compact JSON of a tree. */
  static String compact(JsonNode node) {
    return node == null ? "null" : Redaction.redact(Json.writeString(node));
  }
}
