/**
 * The WASI module runtime of k8s-wasm ({@code type: wasi}) on Chicory, and the sandbox other
 * runtimes build on ({@code dev.k8swasm.wasi.sandbox}, exported only to those runtimes).
 */
module dev.k8swasm.wasi {
  requires transitive dev.k8swasm.core;
  requires com.dylibso.chicory.compiler;
  requires com.dylibso.chicory.runtime;
  requires com.dylibso.chicory.wasi;
  requires com.dylibso.chicory.wasm;
  requires org.objectweb.asm;
  requires org.slf4j;

  exports dev.k8swasm.wasi;
  exports dev.k8swasm.wasi.sandbox to
      dev.k8swasm.kubewarden,
      dev.k8swasm.rego;

  provides dev.k8swasm.module.ModuleRuntime with
      dev.k8swasm.wasi.WasiModuleRuntime;
}
