package dev.k8swasm.kubewarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.admission.JsonPatches;
import dev.k8swasm.admission.Status;
import dev.k8swasm.json.Json;
import java.util.Optional;

/**
 * Turns a policy's {@link ValidationResponse} into the {@link AdmissionResponse} Kubernetes
 * receives, exactly as Kubewarden's policy-evaluator and policy-server do.
 */
public final class AdmissionResponses {

  /** The rejection of a mutation of a request without object (policy-evaluator's wording). */
  public static final String DELETE_MUTATION_MESSAGE =
      "Incoming object is null, which happens only with DELETE operations, but the policy is"
          + " attempting a mutation. This is not allowed";

  private AdmissionResponses() {}

  /**
   * The AdmissionResponse for {@code response}:
   *
   * <ul>
   *   <li>{@code allowed} = {@code accepted}, {@code uid} = the request's uid;
   *   <li>{@code status} = {@code {message, code}} only when the policy gave a message or a code;
   *   <li>{@code mutated_object}: the RFC 6902 diff from {@code original} to it, base64 in {@code
   *       patch} with {@code patchType: JSONPatch}; no patch when the diff is empty; when there is
   *       no original object (DELETE) the request is rejected instead;
   *   <li>{@code warnings} and {@code audit_annotations} passed through.
   * </ul>
   *
   * @param original the object the mutation is compared with: {@code request.object} (absent or
   *     JSON null for DELETE), or the whole document for raw policies
   */
  public static AdmissionResponse from(
      String uid, Optional<JsonNode> original, ValidationResponse response) {
    Optional<JsonNode> before = original.filter(o -> !o.isNull() && !o.isMissingNode());
    if (response.mutatedObject().isPresent() && before.isEmpty()) {
      return new AdmissionResponse(
          uid,
          false,
          status(Optional.of(DELETE_MUTATION_MESSAGE), Optional.empty()),
          null,
          null,
          null,
          null,
          null);
    }
    String patch = null;
    String patchType = null;
    if (response.mutatedObject().isPresent()) {
      ArrayNode diff = JsonPatches.diff(before.get(), response.mutatedObject().get());
      if (!diff.isEmpty()) {
        patch = java.util.Base64.getEncoder().encodeToString(Json.write(diff));
        patchType = AdmissionResponse.JSON_PATCH;
      }
    }
    return new AdmissionResponse(
        uid,
        response.accepted(),
        status(response.message(), response.code()),
        patch,
        patchType,
        response.auditAnnotations().orElse(null),
        response.warnings().orElse(null),
        null);
  }

  /**
   * A failure of the policy (guest error, trap, timeout, unreadable answer) as Kubewarden reports
   * it: {@code allowed: false}, code 500, message {@code internal server error: <detail>}.
   */
  public static AdmissionResponse internalServerError(String uid, String detail) {
    return AdmissionResponse.deny(uid, 500, "internal server error: " + detail);
  }

  /**
   * policy-server's answer when a policy that is not allowed to mutate returned a patch: rejected,
   * with no code, no patch, warnings and audit annotations kept.
   */
  public static AdmissionResponse notAllowedToMutate(String policyId, AdmissionResponse response) {
    return new AdmissionResponse(
        response.uid(),
        false,
        status(
            Optional.of(
                "Request rejected by policy "
                    + policyId
                    + ". The policy attempted to mutate the request, but it is currently configured"
                    + " to not allow mutations."),
            Optional.empty()),
        null,
        null,
        response.auditAnnotations(),
        response.warnings(),
        response.additionalProperties());
  }

  /**
   * policy-server's monitor mode: always allowed, without patch or status; warnings and audit
   * annotations kept.
   */
  public static AdmissionResponse monitor(AdmissionResponse response) {
    return new AdmissionResponse(
        response.uid(),
        true,
        null,
        null,
        null,
        response.auditAnnotations(),
        response.warnings(),
        response.additionalProperties());
  }

  /** Whether {@code response} carries a patch. */
  public static boolean hasPatch(AdmissionResponse response) {
    return response.patch() != null && !response.patch().isEmpty();
  }

  private static Status status(Optional<String> message, Optional<Integer> code) {
    if (message.isEmpty() && code.isEmpty()) {
      return null;
    }
    return code.isPresent()
        ? Status.of(code.get(), message.orElse(null))
        : Status.of(message.orElse(null));
  }
}
