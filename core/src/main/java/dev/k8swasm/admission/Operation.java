package dev.k8swasm.admission;

/**
 * The operation of an admission request, as {@code AdmissionRequest.operation} names it on the wire
 * ({@link #name()} is the wire value).
 */
public enum Operation {
  /** An object is created. */
  CREATE,
  /** An object is replaced or patched. */
  UPDATE,
  /** An object is deleted; the request carries the existing object as {@code oldObject}. */
  DELETE,
  /** A connection to a subresource ({@code pods/exec}, {@code pods/portforward}, ...). */
  CONNECT;

  /** The kind of the options kube-apiserver sends with this operation, or null for CONNECT. */
  String optionsKind() {
    return switch (this) {
      case CREATE -> "CreateOptions";
      case UPDATE -> "UpdateOptions";
      case DELETE -> "DeleteOptions";
      case CONNECT -> null;
    };
  }
}
