package dev.k8swasm.authz;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Copies;
import java.util.List;
import java.util.Map;

/**
 * One requirement of a field or label selector ({@code key operator values}).
 *
 * @param key the field path or label key
 * @param operator {@code In}, {@code NotIn}, {@code Exists}, {@code DoesNotExist} (labels) or
 *     {@code In}, {@code NotIn} (fields)
 * @param values the values the operator compares with
 * @param additionalProperties fields this version of the library does not model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SelectorRequirement(
    String key,
    String operator,
    List<String> values,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> additionalProperties) {

  public SelectorRequirement {
    values = Copies.list(values);
    additionalProperties = Copies.fields(additionalProperties);
  }
}
