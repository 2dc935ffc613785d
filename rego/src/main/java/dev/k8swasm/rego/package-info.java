/**
 * Rego policies compiled to WebAssembly ({@code opa build -t wasm}) in the k8s-wasm sandbox: {@link
 * dev.k8swasm.rego.RegoPolicy} evaluates any entrypoint with any input and {@code data}; {@link
 * dev.k8swasm.rego.RegoModule} (module type {@code rego}, {@link
 * dev.k8swasm.rego.RegoModuleRuntime}) uses a Rego rule as an authorizer or authenticator.
 * Kubewarden's {@code opa} and {@code gatekeeper} execution modes are provided to kubewarden-compat
 * by {@code dev.k8swasm.rego.kubewarden}.
 */
package dev.k8swasm.rego;
