package dev.k8swasm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Turns what tests give (YAML/JSON text, maps, trees, model objects, files) into JSON trees. */
final class Trees {
  private Trees() {}

  /**
   * A JSON tree from: a {@link JsonNode} (copied), a {@link CharSequence} holding YAML or JSON, a
   * {@link Path} to a YAML or JSON file, or anything Jackson can serialise (a {@link
   * java.util.Map}, a fabric8 model object, a k8s-wasm wire type).
   *
   * @throws IllegalArgumentException when the text is not valid YAML or JSON
   */
  /**
   * Parses YAML or JSON; unlike {@link Json#readTree}, YAML flow style such as {@code {op: add,
   * path: /a}} is accepted too.
   */
  static JsonNode parse(byte[] document) {
    try {
      return Json.readTree(document);
    } catch (IllegalArgumentException notJson) {
      try {
        JsonNode node = Json.yamlReader().readTree(document);
        if (node == null || node.isMissingNode()) {
          throw notJson;
        }
        return node;
      } catch (IOException | RuntimeException notYaml) {
        throw notJson;
      }
    }
  }

  static JsonNode of(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof JsonNode node) {
      return node.deepCopy();
    }
    if (value instanceof CharSequence text) {
      return parse(text.toString().getBytes(StandardCharsets.UTF_8));
    }
    if (value instanceof Path path) {
      return Fixtures.load(path.toString());
    }
    try {
      return Json.tree(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot turn a " + value.getClass().getName() + " into JSON: " + e.getMessage(), e);
    }
  }
}
