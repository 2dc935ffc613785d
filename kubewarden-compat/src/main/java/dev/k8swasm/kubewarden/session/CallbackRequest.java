package dev.k8swasm.kubewarden.session;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * One host capability request as kwctl records it: a type ({@code DNSLookupHost}, {@code
 * KubernetesGetResource}, ...) and its fields, written as a YAML document whose root carries the
 * type as a tag:
 *
 * <pre>
 * !DNSLookupHost
 * host: example.com
 * </pre>
 *
 * @param type the request type, the YAML tag without {@code !}
 * @param fields the request's fields (snake_case, as kwctl writes them)
 */
public record CallbackRequest(String type, ObjectNode fields) {

  private static final YAMLMapper YAML =
      YAMLMapper.builder(
              YAMLFactory.builder()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  // a string that looks like a number stays a string
                  .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                  .build())
          .build();

  public CallbackRequest {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(fields, "fields");
    if (type.isEmpty() || !type.chars().allMatch(Character::isLetterOrDigit)) {
      throw new IllegalArgumentException("invalid request type '" + type + "'");
    }
    fields = fields.deepCopy();
  }

  /** The tagged YAML document kwctl stores in an exchange's {@code request}. */
  public String toYaml() {
    try {
      String body = fields.isEmpty() ? "{}\n" : YAML.writeValueAsString(fields);
      return "!" + type + "\n" + body;
    } catch (IOException e) {
      throw new IllegalStateException("cannot write request " + type + " as YAML", e);
    }
  }

  /**
   * Reads a tagged YAML document.
   *
   * @throws IllegalArgumentException when it is not a tagged YAML mapping
   */
  public static CallbackRequest parse(String yaml) {
    try (YAMLParser parser = YAML.getFactory().createParser(yaml)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException(
            "expected a tagged YAML mapping such as '!Type' + fields");
      }
      String tag = parser.getTypeId();
      if (tag == null || tag.isEmpty()) {
        throw new IllegalArgumentException("the request has no type tag (e.g. !DNSLookupHost)");
      }
      JsonNode node = YAML.readTree(parser);
      return new CallbackRequest(tag.startsWith("!") ? tag.substring(1) : tag, (ObjectNode) node);
    } catch (IOException e) {
      throw new IllegalArgumentException("not valid YAML: " + e.getMessage(), e);
    }
  }

  /** Whether {@code other} asks the same, ignoring fields that are null or absent. */
  public boolean sameAs(CallbackRequest other) {
    return type.equals(other.type) && withoutNulls(fields).equals(withoutNulls(other.fields));
  }

  private static JsonNode withoutNulls(JsonNode node) {
    if (node.isObject()) {
      ObjectNode copy = ((ObjectNode) node).objectNode();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (!e.getValue().isNull()) {
          copy.set(e.getKey(), withoutNulls(e.getValue()));
        }
      }
      return copy;
    }
    return node;
  }

  @Override
  public String toString() {
    return "!" + type + " " + fields;
  }
}
