/**
 * k8s-wasm core: the Kubernetes wire types (TokenReview, SubjectAccessReview, AdmissionReview), the
 * authentication, authorization and admission chains, configuration, and the module runtime SPI
 * ({@link dev.k8swasm.module.ModuleRuntime}, found with {@link java.util.ServiceLoader}).
 */
module dev.k8swasm.core {
  requires transitive com.fasterxml.jackson.annotation;
  requires transitive com.fasterxml.jackson.core;
  requires transitive com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires org.slf4j;
  // zjsonpatch (com.flipkart) has no Automatic-Module-Name: this is its file-name derived name.
  requires zjsonpatch;

  exports dev.k8swasm.admission;
  exports dev.k8swasm.admission.rules;
  exports dev.k8swasm.authn;
  exports dev.k8swasm.authz;
  exports dev.k8swasm.config;
  exports dev.k8swasm.json;
  exports dev.k8swasm.module;
  exports dev.k8swasm.observe;
  exports dev.k8swasm.source;

  // The wire types are Jackson-bound records.
  opens dev.k8swasm.admission to
      com.fasterxml.jackson.databind;
  opens dev.k8swasm.admission.rules to
      com.fasterxml.jackson.databind;
  opens dev.k8swasm.authn to
      com.fasterxml.jackson.databind;
  opens dev.k8swasm.authz to
      com.fasterxml.jackson.databind;

  uses dev.k8swasm.module.ModuleRuntime;
  uses dev.k8swasm.source.ModuleSourceResolver;
}
