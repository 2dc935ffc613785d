/**
 * Testing Kubewarden policies: {@link dev.k8swasm.testing.kubewarden.HostCapabilityStubs} answers
 * their host capability calls from stubs and replayed {@code kwctl} sessions. Needs {@code
 * dev.k8swasm:k8s-wasm-kubewarden-compat} on the test class path (the testing module depends on it
 * only optionally).
 */
package dev.k8swasm.testing.kubewarden;
