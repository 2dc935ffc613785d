package dev.k8swasm.admission;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Copies;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The response of an {@code admission.k8s.io/v1 AdmissionReview}. Unknown fields are kept.
 *
 * @param uid the request's uid
 * @param allowed whether the request is admitted
 * @param status details of a denial (ignored by Kubernetes when allowed)
 * @param patch the patch, base64-encoded as on the wire
 * @param patchType {@code JSONPatch} towards Kubernetes; modules may also answer {@code Full}
 * @param auditAnnotations annotations for the audit log
 * @param warnings warnings returned to the client
 * @param additionalProperties fields this version of the library does not model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdmissionResponse(
    String uid,
    Boolean allowed,
    Status status,
    String patch,
    String patchType,
    Map<String, String> auditAnnotations,
    List<String> warnings,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> additionalProperties) {

  /** The only patch type Kubernetes accepts: RFC 6902. */
  public static final String JSON_PATCH = "JSONPatch";

  /** A patch type modules may use: {@code patch} holds the complete new object. */
  public static final String FULL = "Full";

  public AdmissionResponse {
    auditAnnotations = Copies.map(auditAnnotations);
    warnings = Copies.list(warnings);
    additionalProperties = Copies.fields(additionalProperties);
  }

  /** An allowing response. */
  public static AdmissionResponse allow(String uid) {
    return new AdmissionResponse(uid, true, null, null, null, null, null, null);
  }

  /** A denying response with an HTTP code and a message. */
  public static AdmissionResponse deny(String uid, int code, String message) {
    return new AdmissionResponse(
        uid, false, Status.of(code, message), null, null, null, null, null);
  }

  /** {@code allowed}, with absent read as false. */
  public boolean allowedOrFalse() {
    return Boolean.TRUE.equals(allowed);
  }

  /** The decoded patch bytes, or null when there is no patch. */
  public byte[] patchBytes() {
    return patch == null ? null : Base64.getDecoder().decode(patch);
  }

  /** A copy carrying the given patch bytes (base64-encoded) and patch type. */
  public AdmissionResponse withPatch(byte[] patchBytes, String patchType) {
    return new AdmissionResponse(
        uid,
        allowed,
        status,
        patchBytes == null ? null : Base64.getEncoder().encodeToString(patchBytes),
        patchBytes == null ? null : patchType,
        auditAnnotations,
        warnings,
        additionalProperties);
  }

  /** A copy with the given warnings and audit annotations. */
  public AdmissionResponse withWarningsAndAnnotations(
      List<String> warnings, Map<String, String> auditAnnotations) {
    return new AdmissionResponse(
        uid, allowed, status, patch, patchType, auditAnnotations, warnings, additionalProperties);
  }

  @Override
  public String toString() {
    return "AdmissionResponse[uid="
        + uid
        + ", allowed="
        + allowed
        + ", status="
        + status
        + ", patchType="
        + patchType
        + ", patch="
        + (patch == null ? null : new String(patchBytes(), StandardCharsets.UTF_8))
        + ", auditAnnotations="
        + auditAnnotations
        + ", warnings="
        + warnings
        + "]";
  }
}
