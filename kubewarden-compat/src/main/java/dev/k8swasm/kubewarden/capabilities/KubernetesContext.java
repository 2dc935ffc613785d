package dev.k8swasm.kubewarden.capabilities;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
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
   * A {@code list_resources_*} request.
   *
   * @param apiVersion e.g. {@code v1}, {@code apps/v1}
   * @param kind e.g. {@code Pod}
   * @param namespace the namespace ({@code list_resources_by_namespace} only)
   * @param labelSelector a Kubernetes label selector, if given
   * @param fieldSelector a Kubernetes field selector, if given
   */
  record ListResourcesRequest(
      String apiVersion,
      String kind,
      Optional<String> namespace,
      Optional<String> labelSelector,
      Optional<String> fieldSelector) {}

  /**
   * A {@code get_resource} request.
   *
   * @param apiVersion e.g. {@code v1}
   * @param kind e.g. {@code Namespace}
   * @param name the object's name
   * @param namespace its namespace, absent for cluster-scoped kinds
   * @param disableCache whether the policy asked to bypass caches
   */
  record GetResourceRequest(
      String apiVersion,
      String kind,
      String name,
      Optional<String> namespace,
      boolean disableCache) {}
}
