package dev.k8swasm.module;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import java.util.Set;

/**
 * A loaded, ready-to-run module. Thread-safe: many threads may evaluate at once. Close it to free
 * its resources; evaluating a closed module fails with {@link FailureReason#CLOSED}.
 *
 * <p>Most users do not call this directly but wrap it with {@code ModuleAuthenticator}, {@code
 * ModuleAuthorizer} or {@code ModuleAdmissionController}.
 */
public interface PolicyModule extends AutoCloseable {

  /** The module's name. */
  String name();

  /** The kinds of review this module can evaluate (from its exports). */
  Set<ReviewKind> kinds();

  /**
   * Evaluates one review.
   *
   * @param kind what kind of review {@code request} is
   * @param request the review document as JSON (a TokenReview, SubjectAccessReview or
   *     AdmissionReview, as in the module contract)
   * @return the module's {@code response}: a review document of the same kind
   * @throws ModuleException when the module cannot answer; {@link ModuleException#reason()} says
   *     why
   */
  JsonNode evaluate(ReviewKind kind, byte[] request);

  /**
   * Evaluates one review and reads the module's response as {@code type}: the same as {@link
   * Json#convert Json.convert}{@code (evaluate(kind, request), type)}, which is what this default
   * does. A module may implement it without building the intermediate tree.
   *
   * @param kind what kind of review {@code request} is
   * @param request the review document as JSON
   * @param type the wire type of the response, e.g. {@code AdmissionReview}
   * @return the module's {@code response} as {@code type}
   * @throws ModuleException as {@link #evaluate(ReviewKind, byte[])}
   * @throws IllegalArgumentException when the response does not fit {@code type}, as {@link
   *     Json#convert} throws it
   */
  default <T> T evaluate(ReviewKind kind, byte[] request, Class<T> type) {
    return Json.convert(evaluate(kind, request), type);
  }

  /** Admission defaults the module declares about itself (e.g. Kubewarden metadata). */
  default ModuleMetadata metadata() {
    return ModuleMetadata.NONE;
  }

  @Override
  void close();
}
