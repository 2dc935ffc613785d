package dev.k8swasm.kubewarden.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Kubernetes resource type a context-aware policy may read through the {@code kubernetes} host
 * capabilities, e.g. {@code v1/Namespace} or {@code apps/v1/Deployment}.
 *
 * @param apiVersion {@code v1}, {@code apps/v1}, ...
 * @param kind {@code Namespace}, {@code Deployment}, ...
 */
public record ContextAwareResource(String apiVersion, String kind) {

  public ContextAwareResource {
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(kind, "kind");
  }

  /**
   * Parses a list of {@code {apiVersion, kind}} objects; {@code where} names it in messages.
   *
   * @throws IllegalArgumentException when the shape does not fit
   */
  public static List<ContextAwareResource> parseList(JsonNode node, String where) {
    List<ContextAwareResource> list = new ArrayList<>();
    if (node == null || node.isNull()) {
      return list;
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException(where + " must be a list of {apiVersion, kind} objects");
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      JsonNode apiVersion = item.get("apiVersion");
      JsonNode kind = item.get("kind");
      if (!item.isObject()
          || apiVersion == null
          || !apiVersion.isTextual()
          || kind == null
          || !kind.isTextual()
          || kind.asText().isEmpty()) {
        throw new IllegalArgumentException(
            where + "[" + i + "] must be an object with string fields apiVersion and kind");
      }
      list.add(new ContextAwareResource(apiVersion.asText(), kind.asText()));
    }
    return List.copyOf(list);
  }

  /** {@code {"apiVersion": ..., "kind": ...}}. */
  public ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("apiVersion", apiVersion);
    node.put("kind", kind);
    return node;
  }

  @Override
  public String toString() {
    return apiVersion + "/" + kind;
  }
}
