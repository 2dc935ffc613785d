/**
 * fabric8 Kubernetes model interop: lossless conversion of AdmissionReview, TokenReview and
 * SubjectAccessReview between the k8s-wasm wire types and fabric8's model ({@link
 * dev.k8swasm.fabric8.Fabric8Reviews}), and an operator-style admission webhook handler ({@link
 * dev.k8swasm.fabric8.Fabric8AdmissionHandler}).
 */
package dev.k8swasm.fabric8;
