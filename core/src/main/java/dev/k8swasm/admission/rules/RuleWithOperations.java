package dev.k8swasm.admission.rules;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Copies;
import dev.k8swasm.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An {@code admissionregistration.k8s.io/v1 RuleWithOperations}: which requests a module sees.
 * Matching follows Kubernetes exactly; see {@link dev.k8swasm.admission.RuleMatcher}.
 *
 * @param operations {@code CREATE}, {@code UPDATE}, {@code DELETE}, {@code CONNECT} or {@code *}
 * @param apiGroups API groups ({@code ""} = core) or {@code *}
 * @param apiVersions API versions or {@code *}
 * @param resources {@code resource}, {@code resource/subresource}, {@code *}, {@code *}/{@code
 *     scale}, {@code *}/{@code *}
 * @param scope {@code Cluster}, {@code Namespaced} or {@code *} (default)
 * @param additionalProperties fields this version of the library does not model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RuleWithOperations(
    List<String> operations,
    List<String> apiGroups,
    List<String> apiVersions,
    List<String> resources,
    String scope,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> additionalProperties) {

  /** A rule matching every request. */
  public static final RuleWithOperations ALL =
      new RuleWithOperations(List.of("*"), List.of("*"), List.of("*"), List.of("*/*"), "*", null);

  public RuleWithOperations {
    operations = Copies.list(operations);
    apiGroups = Copies.list(apiGroups);
    apiVersions = Copies.list(apiVersions);
    resources = Copies.list(resources);
    additionalProperties = Copies.fields(additionalProperties);
  }

  /**
   * Reads a JSON list of rules, as modules declare them in their metadata.
   *
   * @throws IllegalArgumentException naming the first rule that is not a list element of the right
   *     shape
   */
  public static List<RuleWithOperations> listOf(JsonNode rules) {
    Objects.requireNonNull(rules, "rules");
    if (!rules.isArray()) {
      throw new IllegalArgumentException(
          "'rules' must be a list of rules, not " + rules.getNodeType());
    }
    List<RuleWithOperations> list = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      try {
        list.add(Json.convert(rules.get(i), RuleWithOperations.class));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("rules[" + i + "]: " + e.getMessage(), e);
      }
    }
    return List.copyOf(list);
  }

  /** A rule for the given operations, groups, versions and resources, any scope. */
  public static RuleWithOperations of(
      List<String> operations,
      List<String> apiGroups,
      List<String> apiVersions,
      List<String> resources) {
    return new RuleWithOperations(operations, apiGroups, apiVersions, resources, null, null);
  }
}
