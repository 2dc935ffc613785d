package dev.k8swasm.authz;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Copies;
import java.util.Map;

/**
 * The resource request being authorized.
 *
 * @param namespace the namespace, empty for cluster-scoped resources or all namespaces
 * @param verb a Kubernetes verb such as {@code get}, {@code list}, {@code create}
 * @param group the API group, empty for the core group
 * @param version the API version
 * @param resource the resource, e.g. {@code configmaps}
 * @param subresource the subresource, e.g. {@code status}
 * @param name the object's name, empty for collection requests
 * @param fieldSelector the request's field selector
 * @param labelSelector the request's label selector
 * @param additionalProperties fields this version of the library does not model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResourceAttributes(
    String namespace,
    String verb,
    String group,
    String version,
    String resource,
    String subresource,
    String name,
    SelectorAttributes fieldSelector,
    SelectorAttributes labelSelector,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> additionalProperties) {

  public ResourceAttributes {
    additionalProperties = Copies.fields(additionalProperties);
  }

  /** Attributes for {@code verb} on {@code resource} in {@code namespace} of the given group. */
  public static ResourceAttributes of(
      String verb, String group, String resource, String namespace) {
    return new ResourceAttributes(
        namespace, verb, group, null, resource, null, null, null, null, null);
  }
}
