package dev.k8swasm.internal;

import dev.k8swasm.json.Json;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;

/** Asking a module about a review on behalf of the authenticator, authorizer and admission. */
public final class ModuleCalls {
  private ModuleCalls() {}

  /**
   * The answer of {@code module} to {@code review}, bound to {@code type}.
   *
   * @param what the expected answer in a message, with its article: {@code "a TokenReview"}
   * @throws ModuleException the module's failure, or BAD_OUTPUT when the answer is not a {@code
   *     type}
   */
  public static <T> T ask(
      PolicyModule module, ReviewKind kind, Object review, Class<T> type, String what) {
    try {
      return module.evaluate(kind, Json.write(review), type);
    } catch (IllegalArgumentException e) {
      throw new ModuleException(
          module.name(),
          FailureReason.BAD_OUTPUT,
          "response is not " + what + ": " + e.getMessage());
    }
  }
}
