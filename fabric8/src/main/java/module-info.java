/** Conversion between k8s-wasm wire types and the fabric8 Kubernetes model. */
module dev.k8swasm.fabric8 {
  requires transitive dev.k8swasm.core;
  // The fabric8 model jars have no Automatic-Module-Name: these are their file-name derived names.
  requires transitive kubernetes.model.admissionregistration;
  requires transitive kubernetes.model.core;
  requires kubernetes.model.common;
  requires tools.jackson.databind;

  exports dev.k8swasm.fabric8;
}
