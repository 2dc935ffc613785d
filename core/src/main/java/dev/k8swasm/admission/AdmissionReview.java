package dev.k8swasm.admission;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Copies;
import java.util.Map;

/**
 * An {@code admission.k8s.io/v1 AdmissionReview}: a request going to admission, a response coming
 * back. Unknown fields are kept, so the document round-trips unchanged.
 *
 * @param apiVersion {@code admission.k8s.io/v1}
 * @param kind {@code AdmissionReview}
 * @param request the admission request
 * @param response the admission response
 * @param additionalProperties fields this version of the library does not model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdmissionReview(
    String apiVersion,
    String kind,
    AdmissionRequest request,
    AdmissionResponse response,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> additionalProperties) {

  /** {@code admission.k8s.io/v1}. */
  public static final String V1 = "admission.k8s.io/v1";

  /** {@code AdmissionReview}. */
  public static final String KIND = "AdmissionReview";

  public AdmissionReview {
    additionalProperties = Copies.fields(additionalProperties);
  }

  /** A v1 review carrying the request. */
  public static AdmissionReview of(AdmissionRequest request) {
    return new AdmissionReview(V1, KIND, request, null, null);
  }

  /** A copy with the given response. */
  public AdmissionReview withResponse(AdmissionResponse response) {
    return new AdmissionReview(apiVersion, kind, request, response, additionalProperties);
  }

  /** A copy with the given request. */
  public AdmissionReview withRequest(AdmissionRequest request) {
    return new AdmissionReview(apiVersion, kind, request, response, additionalProperties);
  }
}
