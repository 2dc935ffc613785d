/**
 * Runs modules of the WASI module contract (exports {@code authn}, {@code authz}, {@code validate})
 * on Chicory: each module is parsed, checked against the contract and compiled once at load (the
 * compiled code is cached on disk), and every evaluation runs in a sandboxed instance of its own,
 * restored from a snapshot of the initialised module (or, with the fresh strategy, newly created),
 * with a deadline and memory and output limits. The sandbox itself is {@code
 * dev.k8swasm.wasi.sandbox}, which other module runtimes use too (exported to them only).
 *
 * <p>The entry point is {@link dev.k8swasm.wasi.WasiModuleRuntime}, found through {@link
 * java.util.ServiceLoader} for module type {@code wasi}.
 */
package dev.k8swasm.wasi;
