package dev.k8swasm.authn;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Copies;
import java.util.List;
import java.util.Map;

/**
 * What a TokenReview asks about: a bearer token and the audiences it must be valid for.
 *
 * <p>{@link #toString()} never shows the token.
 *
 * @param token the opaque bearer token
 * @param audiences audiences the token must be valid for (empty or absent: the server's own)
 * @param additionalProperties fields this version of the library does not model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenReviewSpec(
    String token,
    List<String> audiences,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> additionalProperties) {

  public TokenReviewSpec {
    audiences = Copies.list(audiences);
    additionalProperties = Copies.fields(additionalProperties);
  }

  @Override
  public String toString() {
    return "TokenReviewSpec[token="
        + (token == null ? "null" : "<redacted>")
        + ", audiences="
        + audiences
        + ", additionalProperties="
        + additionalProperties
        + "]";
  }
}
