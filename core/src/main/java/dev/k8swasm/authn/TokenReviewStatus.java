package dev.k8swasm.authn;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Copies;
import java.util.List;
import java.util.Map;

/**
 * The answer of a TokenReview.
 *
 * @param authenticated whether the token was recognised (absent means false)
 * @param user the authenticated user
 * @param audiences the audiences the token is valid for
 * @param error why authentication failed, when it did because of an error
 * @param additionalProperties fields this version of the library does not model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenReviewStatus(
    Boolean authenticated,
    UserInfo user,
    List<String> audiences,
    String error,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> additionalProperties) {

  public TokenReviewStatus {
    audiences = Copies.list(audiences);
    additionalProperties = Copies.fields(additionalProperties);
  }

  /** {@code authenticated}, with absent read as false. */
  public boolean authenticatedOrFalse() {
    return Boolean.TRUE.equals(authenticated);
  }
}
