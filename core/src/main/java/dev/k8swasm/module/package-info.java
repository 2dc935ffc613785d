/**
 * The runtime SPI: {@link dev.k8swasm.module.ModuleRuntime} loads a {@link
 * dev.k8swasm.module.ModuleSpec} into a {@link dev.k8swasm.module.PolicyModule}; failures are
 * {@link dev.k8swasm.module.ModuleException}s with a stable {@link
 * dev.k8swasm.module.FailureReason}.
 */
package dev.k8swasm.module;
