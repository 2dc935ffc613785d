/**
 * The {@code k8s-wasm} command line ({@link dev.k8swasm.cli.K8sWasm}): {@code run} evaluates a
 * TokenReview, SubjectAccessReview, AdmissionReview or bare AdmissionRequest with one module or a
 * configured chain. Subcommands are one class each; shared options are picocli mixins.
 */
package dev.k8swasm.cli;
