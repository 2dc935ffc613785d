/**
 * Where modules come from: {@link dev.k8swasm.source.ModuleReference} (a local path or a URI such
 * as {@code registry://host/repo:tag}), the {@link dev.k8swasm.source.ModuleSourceResolver} SPI
 * found by URI scheme, and {@link dev.k8swasm.source.ModuleSources}, which resolves a reference to
 * a local file. Local files need no resolver; {@code registry://} and {@code https://} come with
 * {@code k8s-wasm-oci}.
 */
package dev.k8swasm.source;
