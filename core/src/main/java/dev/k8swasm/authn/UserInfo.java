package dev.k8swasm.authn;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Copies;
import java.util.List;
import java.util.Map;

/**
 * A Kubernetes user ({@code authentication.k8s.io/v1 UserInfo}): as returned by authentication and
 * as seen in SubjectAccessReviews and AdmissionRequests.
 *
 * @param username the user's name
 * @param uid a unique id of the user
 * @param groups the groups the user belongs to
 * @param extra additional attributes, multi-valued
 * @param additionalProperties fields this version of the library does not model, kept as received
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserInfo(
    String username,
    String uid,
    List<String> groups,
    Map<String, List<String>> extra,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> additionalProperties) {

  public UserInfo {
    groups = Copies.list(groups);
    extra = Copies.extra(extra);
    additionalProperties = Copies.fields(additionalProperties);
  }

  /** A user with a name, uid and groups. */
  public static UserInfo of(String username, String uid, List<String> groups) {
    return new UserInfo(username, uid, groups, null, null);
  }

  /** A copy with {@code extra} replaced. */
  public UserInfo withExtra(Map<String, List<String>> extra) {
    return new UserInfo(username, uid, groups, extra, additionalProperties);
  }
}
