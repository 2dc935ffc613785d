/**
 * Kubewarden's {@code opa} and {@code gatekeeper} execution modes, provided to kubewarden-compat
 * through its {@code ExecutionModeProvider} service (found with {@link java.util.ServiceLoader};
 * nothing to call directly).
 */
package dev.k8swasm.rego.kubewarden;
