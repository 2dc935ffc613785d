/**
 * Admission: {@link dev.k8swasm.admission.AdmissionReview} in and out, through {@link
 * dev.k8swasm.admission.AdmissionController}s; {@link dev.k8swasm.admission.AdmissionChain} runs
 * them as kube-apiserver runs admission webhooks.
 */
package dev.k8swasm.admission;
