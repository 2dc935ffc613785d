package dev.k8swasm.authz;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Copies;
import java.util.Map;

/**
 * A Kubernetes {@code SubjectAccessReview} ({@code authorization.k8s.io/v1} or {@code v1beta1}).
 * Unknown fields are kept, so the document round-trips unchanged.
 *
 * @param apiVersion {@code authorization.k8s.io/v1} or {@code authorization.k8s.io/v1beta1}
 * @param kind {@code SubjectAccessReview}
 * @param metadata object metadata, kept as received
 * @param spec the request to authorize
 * @param status the answer, absent in a request
 * @param additionalProperties fields this version of the library does not model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubjectAccessReview(
    String apiVersion,
    String kind,
    JsonNode metadata,
    SubjectAccessReviewSpec spec,
    SubjectAccessReviewStatus status,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> additionalProperties) {

  /** {@code authorization.k8s.io/v1}. */
  public static final String V1 = "authorization.k8s.io/v1";

  /** {@code authorization.k8s.io/v1beta1}. */
  public static final String V1BETA1 = "authorization.k8s.io/v1beta1";

  /** {@code SubjectAccessReview}. */
  public static final String KIND = "SubjectAccessReview";

  public SubjectAccessReview {
    additionalProperties = Copies.fields(additionalProperties);
  }

  /** A v1 request with the given spec. */
  public static SubjectAccessReview of(SubjectAccessReviewSpec spec) {
    return new SubjectAccessReview(V1, KIND, null, spec, null, null);
  }

  /** A copy with the given status. */
  public SubjectAccessReview withStatus(SubjectAccessReviewStatus status) {
    return new SubjectAccessReview(apiVersion, kind, metadata, spec, status, additionalProperties);
  }

  /** The same review in v1 form (the form modules receive). */
  public SubjectAccessReview toV1() {
    return new SubjectAccessReview(
        V1, kind, metadata, spec == null ? null : spec.toV1(), status, additionalProperties);
  }
}
