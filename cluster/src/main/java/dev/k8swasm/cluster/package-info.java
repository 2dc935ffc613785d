/**
 * Kubewarden host capabilities backed by a real cluster through the fabric8 Kubernetes client.
 *
 * <p>{@link dev.k8swasm.cluster.ClusterContext} serves {@code kubernetes/get_resource} and {@code
 * kubernetes/list_resources_*} from shared informer caches, {@link
 * dev.k8swasm.cluster.ClusterAuthorizer} answers {@code kubernetes/can_i} with
 * SubjectAccessReviews, and {@link dev.k8swasm.cluster.KubeClients} builds a client from a
 * kubeconfig or the pod's service account, as kwctl and policy-server do.
 */
package dev.k8swasm.cluster;
