/**
 * Runs Kubewarden policies unchanged: {@link dev.k8swasm.kubewarden.KubewardenPolicy} (waPC and
 * WASI execution modes, settings validation, the ValidationResponse to AdmissionResponse
 * conversion, monitor mode), registered as the module runtime of type {@code kubewarden} ({@link
 * dev.k8swasm.kubewarden.KubewardenModuleRuntime}).
 */
package dev.k8swasm.kubewarden;
