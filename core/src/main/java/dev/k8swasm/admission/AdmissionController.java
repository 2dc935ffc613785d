package dev.k8swasm.admission;

/**
 * Admits, denies or mutates Kubernetes objects.
 *
 * <p>The returned review carries a response whose patch, if any, is an RFC 6902 JSONPatch ({@code
 * patchType: JSONPatch}) against the request's object, as Kubernetes expects. It still holds the
 * request; a webhook answers kube-apiserver with {@link AdmissionReview#toWebhookResponse()}.
 *
 * <p><b>Threads:</b> implementations are thread-safe; one instance serves every request thread.
 * <b>Errors:</b> {@link AdmissionChain} never throws for a failing module (each hook's {@link
 * FailurePolicy} decides); a single {@link ModuleAdmissionController} throws {@link
 * dev.k8swasm.module.ModuleException}. A review that is not a request is refused with {@link
 * IllegalArgumentException} by the chain: a webhook should answer it with HTTP 400, other
 * exceptions with 500. <b>Closing:</b> the library's implementations are {@link AutoCloseable} and
 * close their modules; a closed {@link AdmissionChain} throws {@link IllegalStateException}.
 */
@FunctionalInterface
public interface AdmissionController {

  /**
   * Reviews {@code review.request()}.
   *
   * @param review an AdmissionReview carrying a request
   * @return the review with its response
   * @throws NullPointerException when {@code review} is null
   * @throws IllegalArgumentException when {@code review} has no request ({@link AdmissionChain})
   * @throws dev.k8swasm.module.ModuleException when a single module cannot answer, with reason
   *     {@code BAD_REQUEST} when the review has no request ({@link AdmissionChain} never throws it:
   *     it applies each module's failure policy)
   * @throws IllegalStateException when the controller is a closed chain
   */
  AdmissionReview admit(AdmissionReview review);

  /** Whether this controller mutates (runs in the mutating phase). */
  default boolean mutating() {
    return false;
  }
}
