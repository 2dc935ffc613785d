package dev.k8swasm.kubewarden.capabilities;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Kubewarden's {@code field_masks}: keep only the listed dot paths of an object ({@code
 * metadata.name}, {@code spec.containers.image}); arrays are traversed implicitly, so {@code
 * spec.containers.image} keeps the image of every container. Paths that do not exist are ignored.
 */
public final class FieldMasks {
  private FieldMasks() {}

  /** {@code object} reduced to {@code masks}; {@code object} itself when there are no masks. */
  public static JsonNode apply(JsonNode object, List<String> masks) {
    if (masks == null || masks.isEmpty() || object == null || !object.isObject()) {
      return object;
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (String mask : masks) {
      if (mask == null || mask.isEmpty()) {
        continue;
      }
      copy(object, out, mask.split("\\.", -1), 0);
    }
    return out;
  }

  private static void copy(JsonNode from, ObjectNode to, String[] path, int i) {
    JsonNode value = from.get(path[i]);
    if (value == null) {
      return;
    }
    if (i == path.length - 1) {
      to.set(path[i], value.deepCopy());
      return;
    }
    if (value.isObject()) {
      JsonNode existing = to.get(path[i]);
      ObjectNode child = existing instanceof ObjectNode o ? o : to.putObject(path[i]);
      copy(value, child, path, i + 1);
    } else if (value.isArray()) {
      JsonNode existing = to.get(path[i]);
      ArrayNode array;
      if (existing instanceof ArrayNode a && a.size() == value.size()) {
        array = a;
      } else {
        array = to.putArray(path[i]);
        for (int k = 0; k < value.size(); k++) {
          array.add(
              value.get(k).isObject()
                  ? JsonNodeFactory.instance.objectNode()
                  : JsonNodeFactory.instance.nullNode());
        }
      }
      for (int k = 0; k < value.size(); k++) {
        if (value.get(k).isObject() && array.get(k) instanceof ObjectNode element) {
          copy(value.get(k), element, path, i + 1);
        }
      }
    }
  }
}
