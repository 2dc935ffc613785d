package dev.k8swasm.admission;

/**
 * Admits, denies or mutates Kubernetes objects. Implementations are thread-safe.
 *
 * <p>The returned review carries a response whose patch, if any, is an RFC 6902 JSONPatch ({@code
 * patchType: JSONPatch}) against the request's object, as Kubernetes expects.
 */
@FunctionalInterface
public interface AdmissionController {

  /**
   * Reviews {@code review.request()}.
   *
   * @return the review with its response
   * @throws dev.k8swasm.module.ModuleException when a single module cannot answer ({@link
   *     AdmissionChain} never throws: it applies each module's failure policy)
   */
  AdmissionReview admit(AdmissionReview review);

  /** Whether this controller mutates (runs in the mutating phase). */
  default boolean mutating() {
    return false;
  }
}
