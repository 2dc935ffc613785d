package dev.k8swasm.kubewarden.capabilities;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Serves the {@code kubernetes} host capabilities of context-aware policies ({@code
 * list_resources_by_namespace}, {@code list_resources_all}, {@code get_resource}); supplied by the
 * embedder, e.g. backed by a fabric8 informer cache in an operator. {@code can_i} is answered by an
 * {@link dev.k8swasm.authz.Authorizer} instead (see {@link HostCapabilities.Builder#authorizer}).
 *
 * <p>The host checks the policy's grants (allow-list and {@code contextAwareResources}) before
 * calling, and applies {@code field_masks} to what is returned. Implementations must be
 * thread-safe. Throw {@link HostCapabilityException} for failures the policy should see.
 */
public interface KubernetesContext {

  /**
   * The objects of {@code request.kind()} in {@code request.namespace()} (always present here)
   * matching the selectors; the host wraps them in a {@code <Kind>List}.
   */
  List<JsonNode> listResourcesByNamespace(ListResourcesRequest request);

  /** The objects of {@code request.kind()} in all namespaces matching the selectors. */
  List<JsonNode> listResourcesAll(ListResourcesRequest request);

  /** One object, or empty when it does not exist (the policy then gets a "not found" error). */
  Optional<JsonNode> getResource(GetResourceRequest request);

  /**
   * A {@code list_resources_*} request: {@code apiVersion} and {@code kind} always, the namespace
   * for {@code list_resources_by_namespace} only, selectors when the policy gave them. Immutable.
   */
  final class ListResourcesRequest {
    private final String apiVersion;
    private final String kind;
    private final String namespace;
    private final String labelSelector;
    private final String fieldSelector;

    private ListResourcesRequest(Builder b) {
      this.apiVersion = b.apiVersion;
      this.kind = b.kind;
      this.namespace = b.namespace;
      this.labelSelector = b.labelSelector;
      this.fieldSelector = b.fieldSelector;
    }

    /** A request for the objects of {@code kind} in {@code apiVersion} (e.g. {@code v1}, Pod). */
    public static Builder builder(String apiVersion, String kind) {
      return new Builder(apiVersion, kind);
    }

    /** e.g. {@code v1}, {@code apps/v1}. */
    public String apiVersion() {
      return apiVersion;
    }

    /** e.g. {@code Pod}. */
    public String kind() {
      return kind;
    }

    /** The namespace ({@code list_resources_by_namespace} only). */
    public Optional<String> namespace() {
      return Optional.ofNullable(namespace);
    }

    /** A Kubernetes label selector ({@code app=web,tier!=db}), if given. */
    public Optional<String> labelSelector() {
      return Optional.ofNullable(labelSelector);
    }

    /** A Kubernetes field selector ({@code metadata.name=x}), if given. */
    public Optional<String> fieldSelector() {
      return Optional.ofNullable(fieldSelector);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ListResourcesRequest r
          && apiVersion.equals(r.apiVersion)
          && kind.equals(r.kind)
          && Objects.equals(namespace, r.namespace)
          && Objects.equals(labelSelector, r.labelSelector)
          && Objects.equals(fieldSelector, r.fieldSelector);
    }

    @Override
    public int hashCode() {
      return Objects.hash(apiVersion, kind, namespace, labelSelector, fieldSelector);
    }

    @Override
    public String toString() {
      return "ListResourcesRequest{apiVersion="
          + apiVersion
          + ", kind="
          + kind
          + (namespace == null ? "" : ", namespace=" + namespace)
          + (labelSelector == null ? "" : ", labelSelector=" + labelSelector)
          + (fieldSelector == null ? "" : ", fieldSelector=" + fieldSelector)
          + "}";
    }

    /** Builds a {@link ListResourcesRequest}; {@code null} leaves an optional part out. */
    public static final class Builder {
      private final String apiVersion;
      private final String kind;
      private String namespace;
      private String labelSelector;
      private String fieldSelector;

      private Builder(String apiVersion, String kind) {
        this.apiVersion = Objects.requireNonNull(apiVersion, "apiVersion");
        this.kind = Objects.requireNonNull(kind, "kind");
      }

      public Builder namespace(String namespace) {
        this.namespace = namespace;
        return this;
      }

      public Builder labelSelector(String labelSelector) {
        this.labelSelector = labelSelector;
        return this;
      }

      public Builder fieldSelector(String fieldSelector) {
        this.fieldSelector = fieldSelector;
        return this;
      }

      public ListResourcesRequest build() {
        return new ListResourcesRequest(this);
      }
    }
  }

  /**
   * A {@code get_resource} request: {@code apiVersion}, {@code kind} and {@code name}, the
   * namespace unless the kind is cluster-scoped, and whether the policy asked to bypass caches.
   * Immutable.
   */
  final class GetResourceRequest {
    private final String apiVersion;
    private final String kind;
    private final String name;
    private final String namespace;
    private final boolean disableCache;

    private GetResourceRequest(Builder b) {
      this.apiVersion = b.apiVersion;
      this.kind = b.kind;
      this.name = b.name;
      this.namespace = b.namespace;
      this.disableCache = b.disableCache;
    }

    /** A request for the object {@code name} of {@code kind} in {@code apiVersion}. */
    public static Builder builder(String apiVersion, String kind, String name) {
      return new Builder(apiVersion, kind, name);
    }

    /** e.g. {@code v1}. */
    public String apiVersion() {
      return apiVersion;
    }

    /** e.g. {@code Namespace}. */
    public String kind() {
      return kind;
    }

    /** The object's name. */
    public String name() {
      return name;
    }

    /** Its namespace, empty for cluster-scoped kinds. */
    public Optional<String> namespace() {
      return Optional.ofNullable(namespace);
    }

    /** Whether the policy asked to bypass caches (read from the API server). */
    public boolean disableCache() {
      return disableCache;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof GetResourceRequest r
          && apiVersion.equals(r.apiVersion)
          && kind.equals(r.kind)
          && name.equals(r.name)
          && Objects.equals(namespace, r.namespace)
          && disableCache == r.disableCache;
    }

    @Override
    public int hashCode() {
      return Objects.hash(apiVersion, kind, name, namespace, disableCache);
    }

    @Override
    public String toString() {
      return "GetResourceRequest{apiVersion="
          + apiVersion
          + ", kind="
          + kind
          + ", name="
          + name
          + (namespace == null ? "" : ", namespace=" + namespace)
          + ", disableCache="
          + disableCache
          + "}";
    }

    /** Builds a {@link GetResourceRequest}; {@code null} leaves the namespace out. */
    public static final class Builder {
      private final String apiVersion;
      private final String kind;
      private final String name;
      private String namespace;
      private boolean disableCache;

      private Builder(String apiVersion, String kind, String name) {
        this.apiVersion = Objects.requireNonNull(apiVersion, "apiVersion");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.name = Objects.requireNonNull(name, "name");
      }

      public Builder namespace(String namespace) {
        this.namespace = namespace;
        return this;
      }

      public Builder disableCache(boolean disableCache) {
        this.disableCache = disableCache;
        return this;
      }

      public GetResourceRequest build() {
        return new GetResourceRequest(this);
      }
    }
  }
}
