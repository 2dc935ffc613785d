package dev.k8swasm.authz;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Copies;
import java.util.Map;

/**
 * The answer of a SubjectAccessReview. {@code allowed=false, denied=false} is "no opinion".
 *
 * @param allowed the request is allowed
 * @param denied the request is denied (no later authorizer is asked)
 * @param reason why, for the audit log and the user
 * @param evaluationError an error that occurred while deciding
 * @param additionalProperties fields this version of the library does not model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubjectAccessReviewStatus(
    Boolean allowed,
    Boolean denied,
    String reason,
    String evaluationError,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> additionalProperties) {

  public SubjectAccessReviewStatus {
    additionalProperties = Copies.fields(additionalProperties);
  }
}
