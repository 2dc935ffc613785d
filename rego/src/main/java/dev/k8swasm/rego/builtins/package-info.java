/**
 * The Rego built-in functions the host implements for compiled policies ({@link
 * dev.k8swasm.rego.builtins.Builtins}), and the interface for adding your own ({@link
 * dev.k8swasm.rego.builtins.Builtin}).
 */
package dev.k8swasm.rego.builtins;
