package dev.k8swasm.authn;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Copies;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Kubernetes {@code TokenReview} ({@code authentication.k8s.io/v1} or {@code v1beta1}, which
 * share one shape). Unknown fields are kept, so the document round-trips unchanged.
 *
 * @param apiVersion {@code authentication.k8s.io/v1} or {@code authentication.k8s.io/v1beta1}
 * @param kind {@code TokenReview}
 * @param metadata object metadata, kept as received
 * @param spec the token to review
 * @param status the answer, absent in a request
 * @param additionalProperties fields this version of the library does not model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenReview(
    String apiVersion,
    String kind,
    JsonNode metadata,
    TokenReviewSpec spec,
    TokenReviewStatus status,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> additionalProperties) {

  /** {@code authentication.k8s.io/v1}. */
  public static final String V1 = "authentication.k8s.io/v1";

  /** {@code authentication.k8s.io/v1beta1}. */
  public static final String V1BETA1 = "authentication.k8s.io/v1beta1";

  /** {@code TokenReview}. */
  public static final String KIND = "TokenReview";

  public TokenReview {
    additionalProperties = Copies.fields(additionalProperties);
  }

  /** A v1 request for the given token and audiences. */
  public static TokenReview forToken(String token, List<String> audiences) {
    Objects.requireNonNull(token, "token");
    return new TokenReview(V1, KIND, null, new TokenReviewSpec(token, audiences, null), null, null);
  }

  /** The token under review, or null. */
  public String token() {
    return spec == null ? null : spec.token();
  }

  /** The requested audiences, never null. */
  public List<String> audiences() {
    return spec == null || spec.audiences() == null ? List.of() : spec.audiences();
  }

  /** A copy with the given status. */
  public TokenReview withStatus(TokenReviewStatus status) {
    return new TokenReview(apiVersion, kind, metadata, spec, status, additionalProperties);
  }

  /** A copy whose spec no longer holds the token (so answers can be printed and logged). */
  public TokenReview withoutToken() {
    if (spec == null || spec.token() == null) {
      return this;
    }
    return new TokenReview(
        apiVersion,
        kind,
        metadata,
        new TokenReviewSpec(null, spec.audiences(), spec.additionalProperties()),
        status,
        additionalProperties);
  }

  /** A copy with the given apiVersion. */
  public TokenReview withApiVersion(String apiVersion) {
    return new TokenReview(apiVersion, kind, metadata, spec, status, additionalProperties);
  }
}
