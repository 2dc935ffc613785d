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
 * <p>Build one with {@link #forToken(String, List)} or {@link #builder()}: {@code
 * TokenReview.builder().token(bearerToken).audiences("https://my-api.example.com").build()}. Answer
 * it with {@link AuthenticationResult#respondTo(TokenReview)}, which drops the token.
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

  /** A builder for a request, {@code authentication.k8s.io/v1} unless told otherwise. */
  public static Builder builder() {
    return new Builder();
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

  /** Builds {@link TokenReview} requests. Not thread-safe. */
  public static final class Builder {
    private String apiVersion = V1;
    private String token;
    private List<String> audiences;

    private Builder() {}

    /**
     * {@link #V1} (the default) or {@link #V1BETA1}.
     *
     * @throws IllegalArgumentException for any other apiVersion
     */
    public Builder apiVersion(String apiVersion) {
      if (!V1.equals(apiVersion) && !V1BETA1.equals(apiVersion)) {
        throw new IllegalArgumentException(
            "apiVersion must be " + V1 + " or " + V1BETA1 + ", not '" + apiVersion + "'");
      }
      this.apiVersion = apiVersion;
      return this;
    }

    /** The bearer token to review (required). */
    public Builder token(String token) {
      this.token = Objects.requireNonNull(token, "token");
      return this;
    }

    /** The audiences the token must be valid for (default: none, i.e. the server's own). */
    public Builder audiences(String... audiences) {
      return audiences(List.of(audiences));
    }

    /** The audiences the token must be valid for (default: none, i.e. the server's own). */
    public Builder audiences(List<String> audiences) {
      this.audiences = audiences == null || audiences.isEmpty() ? null : List.copyOf(audiences);
      return this;
    }

    /**
     * The review.
     *
     * @throws IllegalStateException without a token
     */
    public TokenReview build() {
      if (token == null) {
        throw new IllegalStateException("a TokenReview needs a token(...)");
      }
      return new TokenReview(
          apiVersion, KIND, null, new TokenReviewSpec(token, audiences, null), null, null);
    }
  }
}
