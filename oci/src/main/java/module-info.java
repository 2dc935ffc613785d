/**
 * Module sources for k8s-wasm: {@code registry://} (OCI registries, Kubewarden's media types,
 * cosign public-key signatures) and {@code https://}, with a local content-addressed store. Found
 * by core through {@link dev.k8swasm.source.ModuleSourceResolver}.
 */
module dev.k8swasm.oci {
  requires transitive dev.k8swasm.core;
  requires java.net.http;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires org.slf4j;

  exports dev.k8swasm.oci;

  provides dev.k8swasm.source.ModuleSourceResolver with
      dev.k8swasm.oci.OciResolver;
}
