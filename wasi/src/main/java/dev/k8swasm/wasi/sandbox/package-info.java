/**
 * The k8s-wasm Chicory sandbox, for module runtimes built on the k8s-wasm Chicory sandbox (the WASI
 * module contract in {@code dev.k8swasm.wasi}, Kubewarden's waPC and WASI policies in {@code
 * kubewarden-compat}). A {@link dev.k8swasm.wasi.sandbox.SandboxedModule} is built from a {@link
 * dev.k8swasm.module.ModuleSpec} (bytes or path, limits, engine, strategy, clock, randomness) plus
 * what the runtime adds: {@link dev.k8swasm.wasi.sandbox.HostImports} created per instance (host
 * functions with per-instance state, {@linkplain dev.k8swasm.wasi.sandbox.HostImports#reset()
 * reset} before every evaluation), an {@link dev.k8swasm.wasi.sandbox.Initializer} run once per
 * fresh instance and before the snapshot is taken, WASI arguments, and {@link
 * dev.k8swasm.wasi.sandbox.ModuleCheck}s reported together with the sandbox's own import and memory
 * checks at load. {@link dev.k8swasm.wasi.sandbox.SandboxedModule#evaluate} then runs a {@link
 * dev.k8swasm.wasi.sandbox.GuestCall} on the caller's thread against a ready instance ({@link
 * dev.k8swasm.wasi.sandbox.Guest}: the Chicory instance and memory, the host imports, stdin and the
 * captured stdout/stderr) under the module's deadline and output and memory limits, and maps every
 * failure to a {@link dev.k8swasm.module.ModuleException} with the right {@link
 * dev.k8swasm.module.FailureReason}. WASI preview 1 is always provided (no environment, files or
 * sockets).
 *
 * <p>Instance lifecycle ({@link dev.k8swasm.module.ModuleSpec#strategy()}): {@code SNAPSHOT}
 * instantiates and initialises the module once at load, records its memory, globals and tables, and
 * restores that state into a pooled instance for each evaluation, copying back only the 4 KiB
 * memory blocks the evaluation wrote; {@code FRESH} instantiates and initialises per evaluation. A
 * module that cannot be snapshotted, or whose initialisation fails at load, falls back to {@code
 * FRESH} (logged at INFO). An instance whose evaluation failed is discarded either way.
 *
 * <p>Compiled code is cached on disk by module digest (see the spec option {@code compileCache} and
 * the system property {@code k8swasm.cache.dir}; {@code off} disables it).
 */
package dev.k8swasm.wasi.sandbox;
