package dev.k8swasm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random edits of JSON documents, so that property tests compare documents that differ a little
 * (nested changes, array insertions and removals) rather than completely.
 */
public final class JsonEdits {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String[] KEYS = {
    "a", "b", "c", "spec", "items", "0", "~", "/", "a/b", "c~d"
  };

  private JsonEdits() {}

  /**
   * A copy of {@code document} with {@code count} random edits: set, add, remove or replace a field
   * or array element anywhere in it. The result is normalised as the shared mapper reads it.
   */
  public static JsonNode edit(JsonNode document, Random random, int count) {
    JsonNode copy = document.deepCopy();
    for (int i = 0; i < count; i++) {
      List<JsonNode> containers = new ArrayList<>();
      collect(copy, containers);
      JsonNode target = containers.get(random.nextInt(containers.size()));
      if (target instanceof ObjectNode o) {
        editObject(o, random);
      } else {
        editArray((ArrayNode) target, random);
      }
    }
    return Json.readTree(Json.write(copy));
  }

  private static void editObject(ObjectNode o, Random random) {
    List<String> names = new ArrayList<>();
    o.fieldNames().forEachRemaining(names::add);
    if (!names.isEmpty() && random.nextInt(3) == 0) {
      o.remove(names.get(random.nextInt(names.size())));
    } else {
      o.set(KEYS[random.nextInt(KEYS.length)], value(random, 2));
    }
  }

  private static void editArray(ArrayNode a, Random random) {
    int op = random.nextInt(3);
    if (op == 0 && !a.isEmpty()) {
      a.remove(random.nextInt(a.size()));
    } else if (op == 1 && !a.isEmpty()) {
      a.set(random.nextInt(a.size()), value(random, 1));
    } else {
      a.insert(random.nextInt(a.size() + 1), value(random, 1));
    }
  }

  /** A random value nested at most {@code depth} deep. */
  public static JsonNode value(Random random, int depth) {
    int kind = random.nextInt(depth > 0 ? 8 : 6);
    return switch (kind) {
      case 0 -> F.textNode(Integer.toString(random.nextInt(100), 36));
      case 1 -> F.numberNode(random.nextInt(10));
      case 2 -> F.booleanNode(random.nextBoolean());
      case 3 -> F.nullNode();
      case 4 -> F.numberNode(new java.math.BigDecimal(random.nextInt(1000)).movePointLeft(2));
      case 5 -> F.textNode("");
      case 6 -> {
        ArrayNode a = F.arrayNode();
        for (int i = random.nextInt(3); i > 0; i--) {
          a.add(value(random, depth - 1));
        }
        yield a;
      }
      default -> {
        ObjectNode o = F.objectNode();
        for (int i = random.nextInt(3); i > 0; i--) {
          o.set(KEYS[random.nextInt(KEYS.length)], value(random, depth - 1));
        }
        yield o;
      }
    };
  }

  private static void collect(JsonNode node, List<JsonNode> containers) {
    if (node.isContainerNode()) {
      containers.add(node);
      node.forEach(child -> collect(child, containers));
    }
  }
}
