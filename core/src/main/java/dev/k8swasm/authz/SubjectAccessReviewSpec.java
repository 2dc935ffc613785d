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
 * is set. Build one with {@link SubjectAccessReview#builder()}.
 *
 * <p><b>Groups: read {@link #allGroups()}.</b> {@code authorization.k8s.io/v1} names the user's
 * groups {@code groups}, {@code v1beta1} names them {@code group}. Both fields are components so
 * that a document of either version round-trips unchanged: {@link #groups()} holds them only for a
 * v1 document, {@link #group()} only for a v1beta1 one. {@link #allGroups()} gives them whichever
 * field holds them, {@link #toV1()} moves them to {@code groups} (modules are always given the v1
 * form), and {@link SubjectAccessReview.Builder#groups(String...)} writes the field of the review's
 * apiVersion.
 *
 * @param resourceAttributes the resource request
 * @param nonResourceAttributes the non-resource request
 * @param user the user's name
 * @param groups the user's groups, in a v1 document (else null; read {@link #allGroups()})
 * @param group the user's groups, in a v1beta1 document (else null; read {@link #allGroups()})
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
