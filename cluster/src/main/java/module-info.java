/**
 * Kubewarden host capabilities backed by a real cluster through the fabric8 Kubernetes client:
 * informer caches for context-aware policies, {@code can_i} as SubjectAccessReviews, namespace
 * labels for {@code namespaceSelector}s.
 */
module dev.k8swasm.cluster {
  requires transitive dev.k8swasm.core;
  requires transitive dev.k8swasm.kubewarden;
  // fabric8's jars have no Automatic-Module-Name: these are their file-name derived names
  requires transitive kubernetes.client.api;
  requires kubernetes.model.core;
  requires kubernetes.model.common;
  requires kubernetes.model.admissionregistration;
  requires org.slf4j;

  exports dev.k8swasm.cluster;
}
