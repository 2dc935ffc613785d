package dev.k8swasm.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Immutable-copy helpers used by the wire types. Not part of the supported API. */
public final class Copies {
  private Copies() {}

  /** An unmodifiable copy of the unknown fields, never null, insertion order kept. */
  public static Map<String, JsonNode> fields(Map<String, JsonNode> fields) {
    if (fields == null || fields.isEmpty()) {
      return Map.of();
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** An unmodifiable copy of a list, or null when absent (absent and empty differ on the wire). */
  public static <T> List<T> list(List<T> list) {
    return list == null ? null : Collections.unmodifiableList(new ArrayList<>(list));
  }

  /** An unmodifiable copy of a map, or null when absent, insertion order kept. */
  public static <K, V> Map<K, V> map(Map<K, V> map) {
    return map == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  /** An unmodifiable deep copy of a map of lists (Kubernetes' {@code extra}), or null. */
  public static Map<String, List<String>> extra(Map<String, List<String>> extra) {
    if (extra == null) {
      return null;
    }
    Map<String, List<String>> copy = new LinkedHashMap<>();
    extra.forEach((k, v) -> copy.put(k, list(v)));
    return Collections.unmodifiableMap(copy);
  }
}
