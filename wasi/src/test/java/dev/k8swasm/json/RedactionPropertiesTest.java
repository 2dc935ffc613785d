package dev.k8swasm.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of {@link Redaction}: no token text survives, whatever surrounds it. */
class RedactionPropertiesTest {
  private static final String MARK = "Z3cr3T";

  /** Any text at all, with a mark that makes it findable. */
  @Provide
  Arbitrary<String> secrets() {
    return Arbitraries.strings().all().ofMinLength(0).ofMaxLength(40).map(s -> MARK + s);
  }

  /** A credential as it appears in headers and tokens. */
  @Provide
  Arbitrary<String> credentials() {
    return Arbitraries.strings()
        .withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~+/=")
        .ofMinLength(0)
        .ofMaxLength(60)
        .map(s -> MARK + s);
  }

  @Provide
  Arbitrary<String> noise() {
    return Arbitraries.strings().all().ofMaxLength(30);
  }

  @Provide
  Arbitrary<String> tokenKeys() {
    return Arbitraries.of("token", "Token", "TOKEN");
  }

  /** A TokenReview with the secret as token, wrapped in random objects and arrays. */
  @Provide
  Arbitrary<JsonNode> documents() {
    Arbitrary<List<Boolean>> wrapping = Arbitraries.of(true, false).list().ofMaxSize(4);
    return Combinators.combine(secrets(), tokenKeys(), wrapping)
        .as(
            (secret, key, wraps) -> {
              ObjectNode review = JsonNodeFactory.instance.objectNode();
              review.put("kind", "TokenReview");
              review.putObject("spec").put(key, secret).putArray("audiences").add("api");
              JsonNode node = review;
              for (boolean inArray : wraps) {
                if (inArray) {
                  ArrayNode array = JsonNodeFactory.instance.arrayNode().add(1).add(node);
                  node = array;
                } else {
                  ObjectNode object = JsonNodeFactory.instance.objectNode();
                  object.put("token", secret).set("inner", node);
                  node = object;
                }
              }
              return node;
            });
  }

  @Property
  boolean tokensInJsonNeverSurvive(@ForAll("documents") JsonNode document, @ForAll boolean pretty)
      throws JsonProcessingException {
    String text =
        pretty
            ? Json.writer().withDefaultPrettyPrinter().writeValueAsString(document)
            : Json.writeString(document);
    return !Redaction.redact(text).contains(MARK);
  }

  @Property
  void redactedJsonKeepsItsStructure(@ForAll("documents") JsonNode document) {
    String redacted = Redaction.redact(Json.writeString(document));

    JsonNode expected = document.deepCopy();
    replaceTokens(expected);
    assertThat(Json.readTree(redacted.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isEqualTo(expected);
    assertThat(Redaction.redact(redacted)).isEqualTo(redacted);
  }

  @Property
  boolean tokensInEscapedJsonNeverSurvive(@ForAll("documents") JsonNode document) {
    ObjectNode outer = JsonNodeFactory.instance.objectNode();
    outer.put("message", "got " + Json.writeString(document));
    String twice =
        Json.writeString(JsonNodeFactory.instance.objectNode().put("log", outer.toString()));
    return !Redaction.redact(twice).contains(MARK);
  }

  @Property
  boolean tokensInOtherTextNeverSurvive(
      @ForAll("noise") String before,
      @ForAll("credentials") String credential,
      @ForAll("noise") String after,
      @ForAll("tokenKeys") String key,
      @ForAll boolean quoted) {
    String value = quoted ? "\"" + credential + "\"" : credential;
    String text = before + "\"" + key + "\": " + value + "\n" + after;
    return !Redaction.redact(text).contains(MARK);
  }

  @Property
  boolean bearerCredentialsNeverSurvive(
      @ForAll("noise") String before,
      @ForAll("credentials") String credential,
      @ForAll("noise") String after) {
    String text = before + " Bearer " + credential + " " + after;
    return !Redaction.redact(text).contains(MARK);
  }

  @Property
  boolean redactionNeverFails(@ForAll String text) {
    return Redaction.redact(text) != null;
  }

  private static void replaceTokens(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object
          .fieldNames()
          .forEachRemaining(
              name -> {
                if (name.equalsIgnoreCase("token")) {
                  object.put(name, Redaction.REDACTED);
                }
              });
      object.elements().forEachRemaining(RedactionPropertiesTest::replaceTokens);
    } else if (node instanceof ArrayNode array) {
      array.elements().forEachRemaining(RedactionPropertiesTest::replaceTokens);
    }
  }
}
