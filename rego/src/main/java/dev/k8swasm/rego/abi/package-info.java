/**
 * Internal: the host side of OPA's Wasm ABI (host functions, values in guest memory, the rewrite of
 * the imported memory). Not part of the API; may change without notice.
 */
package dev.k8swasm.rego.abi;
