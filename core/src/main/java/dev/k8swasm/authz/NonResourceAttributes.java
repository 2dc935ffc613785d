package dev.k8swasm.authz;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Copies;
import java.util.Map;
import java.util.Objects;

/**
 * A non-resource request being authorized, such as {@code get /healthz}.
 *
 * @param path the URL path
 * @param verb the lower-cased HTTP verb
 * @param additionalProperties fields this version of the library does not model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NonResourceAttributes(
    String path,
    String verb,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> additionalProperties) {

  public NonResourceAttributes {
    additionalProperties = Copies.fields(additionalProperties);
  }

  /**
   * {@code verb} on {@code path}, e.g. {@code of("get", "/healthz")}. (The record's own constructor
   * takes the path first.)
   */
  public static NonResourceAttributes of(String verb, String path) {
    return new NonResourceAttributes(
        Objects.requireNonNull(path, "path"), Objects.requireNonNull(verb, "verb"), null);
  }
}
