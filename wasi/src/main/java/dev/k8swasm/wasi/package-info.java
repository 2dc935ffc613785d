/**
 * Runs modules of the WASI module contract (exports {@code authn}, {@code authz}, {@code validate})
 * on Chicory: each module is parsed, checked against the contract and compiled once at load, and
 * every evaluation runs in a fresh sandboxed instance with a deadline and memory and output limits.
 *
 * <p>The entry point is {@link dev.k8swasm.wasi.WasiModuleRuntime}, found through {@link
 * java.util.ServiceLoader} for module type {@code wasi}.
 */
package dev.k8swasm.wasi;
