package dev.k8swasm.authz;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Copies;
import java.util.List;
import java.util.Map;

/**
 * Who wants to do what. Exactly one of {@code resourceAttributes} and {@code nonResourceAttributes}
 * is set.
 *
 * <p>{@code authorization.k8s.io/v1beta1} names the groups field {@code group}; it is kept in
 * {@link #group()} so a v1beta1 document round-trips unchanged. Use {@link #allGroups()} to read
 * the groups of either version.
 *
 * @param resourceAttributes the resource request
 * @param nonResourceAttributes the non-resource request
 * @param user the user's name
 * @param groups the user's groups (v1)
 * @param group the user's groups (v1beta1 field name)
 * @param extra additional user attributes
 * @param uid the user's uid
 * @param additionalProperties fields this version of the library does not model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubjectAccessReviewSpec(
    ResourceAttributes resourceAttributes,
    NonResourceAttributes nonResourceAttributes,
    String user,
    List<String> groups,
    List<String> group,
    Map<String, List<String>> extra,
    String uid,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> additionalProperties) {

  public SubjectAccessReviewSpec {
    groups = Copies.list(groups);
    group = Copies.list(group);
    extra = Copies.extra(extra);
    additionalProperties = Copies.fields(additionalProperties);
  }

  /** The user's groups whichever field holds them; never null. */
  public List<String> allGroups() {
    if (groups != null) {
      return groups;
    }
    return group == null ? List.of() : group;
  }

  /** The same spec in v1 form: {@code group} moved to {@code groups}. */
  public SubjectAccessReviewSpec toV1() {
    if (group == null) {
      return this;
    }
    return new SubjectAccessReviewSpec(
        resourceAttributes,
        nonResourceAttributes,
        user,
        allGroups(),
        null,
        extra,
        uid,
        additionalProperties);
  }
}
