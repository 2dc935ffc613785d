package dev.k8swasm.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.flipkart.zjsonpatch.CompatibilityFlags;
import com.flipkart.zjsonpatch.DiffFlags;
import com.flipkart.zjsonpatch.JsonDiff;
import com.flipkart.zjsonpatch.JsonPatch;
import com.flipkart.zjsonpatch.JsonPatchApplicationException;
import java.util.EnumSet;
import java.util.Objects;

/** RFC 6902 JSON patches: diff two objects, apply a patch. Backed by zjsonpatch. */
public final class JsonPatches {
  private static final EnumSet<DiffFlags> FLAGS =
      EnumSet.of(
          DiffFlags.OMIT_VALUE_ON_REMOVE,
          DiffFlags.OMIT_MOVE_OPERATION,
          DiffFlags.OMIT_COPY_OPERATION);

  /** RFC 6902 4.2: removing a field that does not exist is an error (zjsonpatch allows it). */
  private static final EnumSet<CompatibilityFlags> APPLY_FLAGS =
      EnumSet.of(CompatibilityFlags.FORBID_REMOVE_MISSING_OBJECT);

  private JsonPatches() {}

  /**
   * The patch turning {@code from} into {@code to}, using only add, remove and replace; empty when
   * they are equal.
   */
  public static ArrayNode diff(JsonNode from, JsonNode to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    return (ArrayNode) JsonDiff.asJson(from, to, FLAGS);
  }

  /**
   * Applies {@code patch} to a copy of {@code target}.
   *
   * @throws IllegalArgumentException when the patch is malformed or does not apply
   */
  public static JsonNode apply(JsonNode patch, JsonNode target) {
    Objects.requireNonNull(patch, "patch");
    Objects.requireNonNull(target, "target");
    if (!patch.isArray()) {
      throw new IllegalArgumentException("a JSONPatch must be a JSON array of operations");
    }
    try {
      return JsonPatch.apply(patch, target, APPLY_FLAGS);
    } catch (JsonPatchApplicationException | IllegalArgumentException e) {
      throw new IllegalArgumentException("JSONPatch does not apply: " + e.getMessage(), e);
    }
  }
}
