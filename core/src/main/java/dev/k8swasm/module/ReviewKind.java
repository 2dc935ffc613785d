package dev.k8swasm.module;

/** The three kinds of decision a module can make. */
public enum ReviewKind {
  /** TokenReview: who is this bearer token? */
  AUTHENTICATION("TokenReview"),
  /** SubjectAccessReview: may this user do this? */
  AUTHORIZATION("SubjectAccessReview"),
  /** AdmissionReview: may this object be stored, and in which form? */
  ADMISSION("AdmissionReview");

  private final String wireKind;

  ReviewKind(String wireKind) {
    this.wireKind = wireKind;
  }

  /** The Kubernetes {@code kind} of the review document. */
  public String wireKind() {
    return wireKind;
  }
}
