package dev.k8swasm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.k8swasm.admission.JsonPatches;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks how an admission response changes the object: as the resulting object, as single values,
 * or as the RFC 6902 JSONPatch operations of the response.
 *
 * <pre>{@code
 * assertThat(outcome).mutates()
 *     .setting("/data/magic-value", "foobar")
 *     .to("""
 *         apiVersion: v1
 *         kind: ConfigMap
 *         metadata: {name: settings}
 *         data: {colour: blue, magic-value: foobar}
 *         """);
 * }</pre>
 *
 * Objects and operations may be YAML or JSON text, {@link java.util.Map}s or {@link JsonNode}s.
 */
public final class MutationAssert extends AbstractAssert {
  private final AdmissionAssert parent;
  private final AdmissionOutcome outcome;
  private final ArrayNode patch;

  MutationAssert(AdmissionAssert parent, AdmissionOutcome outcome, ArrayNode patch) {
    super(outcome.evidence());
    this.parent = parent;
    this.outcome = outcome;
    this.patch = patch;
  }

  /** The patch under test. */
  public ArrayNode patch() {
    return patch.deepCopy();
  }

  /** Back to the response, for more checks. */
  public AdmissionAssert and() {
    return parent;
  }

  /** The object after the patch is exactly {@code expected}. */
  public MutationAssert to(Object expected) {
    JsonNode want = Trees.of(expected);
    JsonNode have = outcome.resultingObject();
    if (!want.equals(have)) {
      throw failure(
          "Expected the mutated object to be different:\n" + differences(want, have),
          Texts.pretty(want),
          Texts.pretty(have));
    }
    return this;
  }

  /**
   * The object after the patch has {@code value} at the JSON pointer {@code path} (e.g. {@code
   * /metadata/labels/owner}). A {@link String} value is a JSON string; other values are converted
   * to JSON.
   */
  public MutationAssert setting(String path, Object value) {
    JsonNode want = value instanceof String s ? TextNode.valueOf(s) : Trees.of(value);
    JsonNode have = outcome.resultingObject().at(path);
    if (!want.equals(have)) {
      throw failure(
          "Expected the mutated object to have another value at " + path,
          Texts.compact(want),
          have.isMissingNode() ? "nothing (no such field)" : Texts.compact(have));
    }
    return this;
  }

  /** The object after the patch has nothing at the JSON pointer {@code path}. */
  public MutationAssert removing(String path) {
    JsonNode have = outcome.resultingObject().at(path);
    if (!have.isMissingNode()) {
      throw failure(
          "Expected the mutated object to have nothing at " + path, "nothing", Texts.compact(have));
    }
    return this;
  }

  /**
   * The patch consists of exactly these operations, in any order (each operation once). For example
   * {@code "{op: add, path: /data/magic-value, value: foobar}"}.
   */
  public MutationAssert withPatchOperations(Object... operations) {
    List<JsonNode> want = operations(operations);
    List<JsonNode> missing = new ArrayList<>();
    List<JsonNode> unexpected = new ArrayList<>();
    patch.forEach(unexpected::add);
    for (JsonNode op : want) {
      if (!unexpected.remove(op)) {
        missing.add(op);
      }
    }
    if (!missing.isEmpty() || !unexpected.isEmpty()) {
      StringBuilder why = new StringBuilder("Expected other patch operations (in any order):");
      missing.forEach(op -> why.append("\n  missing:    ").append(Texts.compact(op)));
      unexpected.forEach(op -> why.append("\n  unexpected: ").append(Texts.compact(op)));
      throw failure(why.toString(), render(want), render(patch));
    }
    return this;
  }

  /** The patch consists of exactly these operations, in this order. */
  public MutationAssert withPatchOperationsInOrder(Object... operations) {
    List<JsonNode> want = operations(operations);
    List<JsonNode> have = new ArrayList<>();
    patch.forEach(have::add);
    if (!want.equals(have)) {
      throw failure("Expected other patch operations, in this order", render(want), render(have));
    }
    return this;
  }

  private static List<JsonNode> operations(Object... operations) {
    List<JsonNode> ops = new ArrayList<>();
    for (Object o : operations) {
      JsonNode op = Trees.of(o);
      if (op == null || !op.isObject() || !op.has("op") || !op.has("path")) {
        throw new IllegalArgumentException(
            "not a JSONPatch operation (an object with op and path): " + Texts.compact(op));
      }
      ops.add(op);
    }
    return ops;
  }

  private static String render(Iterable<JsonNode> ops) {
    StringBuilder out = new StringBuilder("[");
    for (JsonNode op : ops) {
      out.append(out.length() == 1 ? "\n  " : ",\n  ").append(Texts.compact(op));
    }
    return out.append(out.length() == 1 ? "]" : "\n]").toString();
  }

  /** The differences between the expected and the actual object, one per line. */
  static String differences(JsonNode want, JsonNode have) {
    if (have == null || want == null) {
      return "  expected " + Texts.compact(want) + " but was " + Texts.compact(have);
    }
    StringBuilder out = new StringBuilder();
    for (JsonNode op : JsonPatches.diff(want, have)) {
      String path = op.path("path").asText();
      String pointer = path.isEmpty() ? "(the whole object)" : path;
      switch (op.path("op").asText()) {
        case "add" ->
            out.append("  ")
                .append(pointer)
                .append(": unexpected ")
                .append(Texts.compact(op.get("value")));
        case "remove" ->
            out.append("  ")
                .append(pointer)
                .append(": missing (expected ")
                .append(Texts.compact(want.at(path)))
                .append(")");
        default ->
            out.append("  ")
                .append(pointer)
                .append(": expected ")
                .append(Texts.compact(want.at(path)))
                .append(" but was ")
                .append(Texts.compact(op.get("value")));
      }
      out.append('\n');
    }
    return out.toString().stripTrailing();
  }
}
