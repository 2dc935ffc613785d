package dev.k8swasm.authz;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Copies;
import java.util.Map;
import java.util.Objects;

/**
 * The resource request being authorized. Build one with {@link #builder()}:
 *
 * <pre>{@code
 * ResourceAttributes.builder().verb("update").group("apps").version("v1")
 *     .resource("deployments").subresource("scale").namespace("shop").name("web").build()
 * }</pre>
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

  /** A builder; {@code verb} and {@code resource} are required, the rest optional. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link ResourceAttributes}. Not thread-safe. */
  public static final class Builder {
    private String namespace;
    private String verb;
    private String group;
    private String version;
    private String resource;
    private String subresource;
    private String name;
    private SelectorAttributes fieldSelector;
    private SelectorAttributes labelSelector;

    private Builder() {}

    /** The namespace; none for cluster-scoped resources or requests across all namespaces. */
    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    /** The Kubernetes verb, e.g. {@code get}, {@code list}, {@code create} (required). */
    public Builder verb(String verb) {
      this.verb = Objects.requireNonNull(verb, "verb");
      return this;
    }

    /** The API group; {@code ""} or none for the core group. */
    public Builder group(String group) {
      this.group = group;
      return this;
    }

    /** The API version, e.g. {@code v1}. */
    public Builder version(String version) {
      this.version = version;
      return this;
    }

    /** The resource, e.g. {@code configmaps} (required). */
    public Builder resource(String resource) {
      this.resource = Objects.requireNonNull(resource, "resource");
      return this;
    }

    /** The subresource, e.g. {@code status}. */
    public Builder subresource(String subresource) {
      this.subresource = subresource;
      return this;
    }

    /** The object's name; none for requests on a collection. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The request's field selector. */
    public Builder fieldSelector(SelectorAttributes fieldSelector) {
      this.fieldSelector = fieldSelector;
      return this;
    }

    /** The request's label selector. */
    public Builder labelSelector(SelectorAttributes labelSelector) {
      this.labelSelector = labelSelector;
      return this;
    }

    /**
     * The attributes.
     *
     * @throws IllegalStateException when the verb or the resource is missing
     */
    public ResourceAttributes build() {
      if (verb == null || resource == null) {
        throw new IllegalStateException("resource attributes need a verb(...) and a resource(...)");
      }
      return new ResourceAttributes(
          namespace,
          verb,
          group,
          version,
          resource,
          subresource,
          name,
          fieldSelector,
          labelSelector,
          null);
    }
  }
}
