package dev.k8swasm.admission;

import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;

/**
 * A module's patch cannot be parsed or applied. Unlike other bad output, kube-apiserver treats this
 * as an internal error whatever the failure policy, and so does {@link AdmissionChain}.
 */
final class PatchException extends ModuleException {
  private static final long serialVersionUID = 1L;

  PatchException(String moduleName, String detail) {
    super(moduleName, FailureReason.BAD_OUTPUT, detail);
  }
}
