package dev.k8swasm.admission;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Copies;
import java.util.Map;

/**
 * A resource ({@code metav1.GroupVersionResource}); the core group is {@code ""}.
 *
 * @param group the API group
 * @param version the API version
 * @param resource the plural resource name, e.g. {@code pods}
 * @param additionalProperties fields this version of the library does not model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GroupVersionResource(
    String group,
    String version,
    String resource,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> additionalProperties) {

  public GroupVersionResource {
    additionalProperties = Copies.fields(additionalProperties);
  }

  /** A resource in the given group and version. */
  public static GroupVersionResource of(String group, String version, String resource) {
    return new GroupVersionResource(group, version, resource, null);
  }

  /**
   * The resource of {@code kind} in its group and version, named as kube-apiserver names the
   * built-in kinds: lower case, plural ({@code Pod -> pods}, {@code Ingress -> ingresses}, {@code
   * NetworkPolicy -> networkpolicies}). A custom resource with an unusual plural should be named
   * explicitly with {@link #of(String, String, String)}.
   */
  public static GroupVersionResource forKind(GroupVersionKind kind) {
    return of(kind.group(), kind.version(), KindPlurals.resourceOf(kind.kind()));
  }
}
