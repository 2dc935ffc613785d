package dev.k8swasm.admission;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Copies;
import java.util.Map;

/**
 * The kind of an object ({@code metav1.GroupVersionKind}); the core group is {@code ""}.
 *
 * @param group the API group
 * @param version the API version
 * @param kind the kind
 * @param additionalProperties fields this version of the library does not model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GroupVersionKind(
    String group,
    String version,
    String kind,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> additionalProperties) {

  public GroupVersionKind {
    additionalProperties = Copies.fields(additionalProperties);
  }

  /** A kind in the given group and version. */
  public static GroupVersionKind of(String group, String version, String kind) {
    return new GroupVersionKind(group, version, kind, null);
  }
}
