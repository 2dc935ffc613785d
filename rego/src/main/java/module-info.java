/**
 * Rego policies compiled to WebAssembly ({@code opa build -t wasm}) on the k8s-wasm sandbox: the
 * OPA Wasm ABI and built-ins, Kubewarden's {@code opa} and {@code gatekeeper} execution modes, and
 * the {@code rego} module type for authorizers and authenticators.
 */
module dev.k8swasm.rego {
  requires transitive dev.k8swasm.core;
  requires dev.k8swasm.wasi;
  requires dev.k8swasm.kubewarden;
  requires com.dylibso.chicory.runtime;
  requires com.dylibso.chicory.wasm;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires org.slf4j;

  exports dev.k8swasm.rego;
  exports dev.k8swasm.rego.builtins;

  provides dev.k8swasm.module.ModuleRuntime with
      dev.k8swasm.rego.RegoModuleRuntime;
  provides dev.k8swasm.kubewarden.ExecutionModeProvider with
      dev.k8swasm.rego.kubewarden.RegoExecutionModes;
}
