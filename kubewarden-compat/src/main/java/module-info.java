/**
 * Runs Kubewarden policies unchanged ({@code type: kubewarden}): waPC and WASI policies, their
 * metadata, host capabilities and kwctl-compatible session recording.
 */
module dev.k8swasm.kubewarden {
  requires transitive dev.k8swasm.core;
  requires dev.k8swasm.wasi;
  requires com.dylibso.chicory.runtime;
  requires com.dylibso.chicory.wasi;
  requires com.dylibso.chicory.wasm;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires org.slf4j;

  exports dev.k8swasm.kubewarden;
  exports dev.k8swasm.kubewarden.capabilities;
  exports dev.k8swasm.kubewarden.metadata;
  exports dev.k8swasm.kubewarden.session;

  uses dev.k8swasm.kubewarden.ExecutionModeProvider;

  provides dev.k8swasm.module.ModuleRuntime with
      dev.k8swasm.kubewarden.KubewardenModuleRuntime;
}
