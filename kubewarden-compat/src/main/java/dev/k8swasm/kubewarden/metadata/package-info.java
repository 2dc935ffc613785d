/**
 * Kubewarden policy metadata: the {@code io.kubewarden.metadata} custom section ({@link
 * dev.k8swasm.kubewarden.metadata.PolicyMetadata}) and the resources context-aware policies read
 * ({@link dev.k8swasm.kubewarden.metadata.ContextAwareResource}).
 */
package dev.k8swasm.kubewarden.metadata;
