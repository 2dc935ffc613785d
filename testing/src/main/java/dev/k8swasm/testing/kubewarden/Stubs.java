package dev.k8swasm.testing.kubewarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Small helpers of the stubs. */
final class Stubs {
  private Stubs() {}

  /** A tree from YAML or JSON text, a map, a tree or a model object. */
  static JsonNode tree(Object value) {
    if (value instanceof JsonNode n) {
      return n.deepCopy();
    }
    if (value instanceof CharSequence text) {
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      try {
        return Json.readTree(bytes);
      } catch (IllegalArgumentException notJson) {
        try {
          return Json.yamlReader().readTree(bytes); // YAML flow style: {a: b}
        } catch (IOException | RuntimeException notYaml) {
          throw notJson;
        }
      }
    }
    return Json.tree(value);
  }

  /** Whether every field of {@code want} is in {@code have} with the same value. */
  static boolean contains(JsonNode have, JsonNode want) {
    for (Map.Entry<String, JsonNode> e : want.properties()) {
      if (!e.getValue().equals(have.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  static void put(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  @SuppressWarnings("unchecked")
  static <T> T cast(Object value) {
    return (T) value;
  }
}
