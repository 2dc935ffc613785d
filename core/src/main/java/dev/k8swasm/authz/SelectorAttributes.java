package dev.k8swasm.authz;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Copies;
import java.util.List;
import java.util.Map;

/**
 * The field or label selector of a resource request ({@code FieldSelectorAttributes} / {@code
 * LabelSelectorAttributes}). Authorizers should honour {@code requirements} and ignore {@code
 * rawSelector}.
 *
 * @param rawSelector the selector as the client sent it
 * @param requirements the parsed requirements
 * @param additionalProperties fields this version of the library does not model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SelectorAttributes(
    String rawSelector,
    List<SelectorRequirement> requirements,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> additionalProperties) {

  public SelectorAttributes {
    requirements = Copies.list(requirements);
    additionalProperties = Copies.fields(additionalProperties);
  }
}
