/**
 * Kubewarden host capabilities: what policies reach through {@code __host_call} (waPC) or {@code
 * host.call} (WASI mode). Embedders supply handlers in {@link
 * dev.k8swasm.kubewarden.capabilities.HostCapabilities}; {@link
 * dev.k8swasm.kubewarden.capabilities.CapabilityDispatcher} checks each policy's grants and
 * dispatches.
 */
package dev.k8swasm.kubewarden.capabilities;
