package dev.k8swasm.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.authn.TokenReview;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class RedactionTest {
  private static final String SECRET = "S3cr3tT0k3nValue";

  @Test
  void tokenInAReviewIsRedactedAndTheRestKept() {
    String json = Json.writeString(TokenReview.forToken(SECRET, List.of("api")));

    String redacted = Redaction.redact(json);

    assertThat(redacted).doesNotContain(SECRET);
    JsonNode tree = Json.readTree(redacted.getBytes(UTF_8));
    assertThat(tree.path("spec").path("token").asText()).isEqualTo(Redaction.REDACTED);
    assertThat(tree.path("spec").path("audiences").get(0).asText()).isEqualTo("api");
  }

  @Test
  void bytesAreDecodedAndRedacted() {
    byte[] json = ("{\"token\":\"" + SECRET + "\"}").getBytes(UTF_8);

    assertThat(Redaction.redact(json)).isEqualTo("{\"token\":\"<redacted>\"}");
  }

  @Test
  void whitespaceCaseAndEscapedKeysAreRedacted() {
    assertThat(Redaction.redact("{ \"token\" :\n \"" + SECRET + "\" }")).doesNotContain(SECRET);
    assertThat(Redaction.redact("{\"TOKEN\":\"" + SECRET + "\"}")).doesNotContain(SECRET);
    assertThat(Redaction.redact("{\"\\u0074oken\":\"" + SECRET + "\"}")).doesNotContain(SECRET);
    assertThat(Redaction.redact("{\"to\\u006Ben\":\"" + SECRET + "\"}")).doesNotContain(SECRET);
  }

  @Test
  void nonStringTokenValuesAreRedactedWholeAndTheDocumentStaysValid() {
    String json =
        "{\"token\":{\"nested\":[\""
            + SECRET
            + "\",{\"x\":\"}\"}]},\"after\":1,\"t\":[{\"token\":42}]}";

    String redacted = Redaction.redact(json);

    assertThat(redacted).doesNotContain(SECRET).doesNotContain("42");
    JsonNode tree = Json.readTree(redacted.getBytes(UTF_8));
    assertThat(tree.path("token").asText()).isEqualTo(Redaction.REDACTED);
    assertThat(tree.path("after").asInt()).isEqualTo(1);
    assertThat(tree.path("t").get(0).path("token").asText()).isEqualTo(Redaction.REDACTED);
  }

  @Test
  void escapedJsonInsideAStringIsRedacted() {
    String inner = "{\"spec\":{\"token\":\"" + SECRET + "\"}}";
    String outer = Json.writeString(Map.of("log", inner));
    String twice = Json.writeString(Map.of("wrapped", outer));

    assertThat(Redaction.redact(outer)).doesNotContain(SECRET);
    assertThat(Redaction.redact(twice)).doesNotContain(SECRET);
    JsonNode tree = Json.readTree(Redaction.redact(outer).getBytes(UTF_8));
    JsonNode innerTree = Json.readTree(tree.path("log").asText().getBytes(UTF_8));
    assertThat(innerTree.path("spec").path("token").asText()).isEqualTo(Redaction.REDACTED);
  }

  @Test
  void bearerCredentialsAreRedacted() {
    assertThat(Redaction.redact("Authorization: Bearer " + SECRET + " rest"))
        .isEqualTo("Authorization: Bearer <redacted> rest");
    assertThat(Redaction.redact("{\"h\":\"bearer " + SECRET + "\"}"))
        .isEqualTo("{\"h\":\"bearer <redacted>\"}");
  }

  @Test
  void truncatedJsonInTextDoesNotLeakTheToken() {
    String stderr = "panic: cannot decode {\"spec\":{\"token\":\"" + SECRET + "\n" + "next line";

    assertThat(Redaction.redact(stderr)).doesNotContain(SECRET);
    assertThat(Redaction.redact("{\"token\": " + SECRET)).doesNotContain(SECRET);
    assertThat(Redaction.redact("{\"token\":")).isEqualTo("{\"token\":\"<redacted>\"");
  }

  @Test
  void textAroundARedactedTokenIsKept() {
    String stderr =
        "error: {\"token\":\"" + SECRET + "\"} was rejected\nsecond line\n\"token\": 123 x\nthird";

    String redacted = Redaction.redact(stderr);

    assertThat(redacted)
        .doesNotContain(SECRET)
        .doesNotContain("123")
        .contains("} was rejected\nsecond line\n")
        .endsWith("\nthird");
  }

  @Test
  void escapedQuotesAroundTheKeyInTextAreRedacted() {
    String text = "error: input was {\\\"token\\\": \\\"" + SECRET + "\\\"} and more";

    assertThat(Redaction.redact(text)).doesNotContain(SECRET);
  }

  @Test
  void textWithoutSecretsIsUnchanged() {
    String text = "{\"spec\":{\"audiences\":[\"api\"]},\"note\":\"tokens are fine as a word\"}";

    assertThat(Redaction.redact(text)).isEqualTo(text);
  }

  @Test
  void keysThatMerelyContainTokenAreKept() {
    String text = "{\"tokenType\":\"bearer-ish\",\"mytoken\":\"x\"}";

    assertThat(Redaction.redact(text)).isEqualTo(text);
  }

  @Test
  void redactionIsIdempotent() {
    String json = "{\"a\":{\"token\":\"" + SECRET + "\"},\"h\":\"Bearer " + SECRET + "\"}";

    String once = Redaction.redact(json);

    assertThat(Redaction.redact(once)).isEqualTo(once);
  }

  @Property(tries = 200)
  void noTokenSurvivesAtAnyDepth(
      @ForAll("documents") JsonNode document,
      @ForAll @AlphaChars @NumericChars @StringLength(min = 12, max = 24) String core,
      @ForAll @StringLength(max = 6) String noise) {
    String token = noise + "QQ" + core + "QQ" + noise;
    ObjectNode withToken = JsonNodeFactory.instance.objectNode();
    withToken.set("doc", document);
    withToken.set("spec", JsonNodeFactory.instance.objectNode().put("token", token));
    String json = Json.writeString(withToken);
    String escaped = Json.writeString(Map.of("stdin", json));

    assertThat(Redaction.redact(json)).doesNotContain("QQ" + core + "QQ");
    assertThat(Redaction.redact(escaped)).doesNotContain("QQ" + core + "QQ");
  }

  @Property(tries = 200)
  void validJsonStaysValidAndOnlyTokenValuesChange(@ForAll("documents") JsonNode document) {
    String json = Json.writeString(document);

    String redacted = Redaction.redact(json);

    JsonNode result = Json.readTree(redacted.getBytes(UTF_8));
    assertThat(result).isEqualTo(expectedRedaction(document));
    assertThat(Redaction.redact(redacted)).isEqualTo(redacted);
  }

  @Property(tries = 300)
  void neverThrows(@ForAll String text) {
    assertThatCode(() -> Redaction.redact(text)).doesNotThrowAnyException();
    assertThatCode(() -> Redaction.redact(text.getBytes(UTF_8))).doesNotThrowAnyException();
  }

  @Property(tries = 200)
  void neverThrowsOnTruncatedJson(@ForAll("documents") JsonNode document, @ForAll double fraction) {
    String json = Json.writeString(document);
    int cut = (int) (Math.abs(fraction % 1) * json.length());

    assertThatCode(() -> Redaction.redact(json.substring(0, cut))).doesNotThrowAnyException();
  }

  /** The document with the value of every {@code token} key (any case) replaced. */
  private static JsonNode expectedRedaction(JsonNode node) {
    if (node.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      node.fields()
          .forEachRemaining(
              e ->
                  copy.set(
                      e.getKey(),
                      e.getKey().equalsIgnoreCase("token")
                          ? JsonNodeFactory.instance.textNode(Redaction.REDACTED)
                          : expectedRedaction(e.getValue())));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      node.forEach(v -> copy.add(expectedRedaction(v)));
      return copy;
    }
    return node;
  }

  @Provide
  Arbitrary<JsonNode> documents() {
    return values(3);
  }

  /** Documents with token keys in places, and strings free of secrets-like words. */
  private static Arbitrary<JsonNode> values(int depth) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    Arbitrary<JsonNode> scalars =
        Arbitraries.oneOf(
            Arbitraries.strings()
                .withCharRange('a', 'f')
                .withChars(" {}[],:0123")
                .ofMaxLength(10)
                .map(s -> (JsonNode) f.textNode(s)),
            Arbitraries.integers().map(i -> (JsonNode) f.numberNode(i)),
            Arbitraries.of(true, false).map(b -> (JsonNode) f.booleanNode(b)),
            Arbitraries.just(f.nullNode()));
    if (depth == 0) {
      return scalars;
    }
    Arbitrary<JsonNode> nested = values(depth - 1);
    Arbitrary<String> keys = Arbitraries.of("token", "Token", "TOKEN", "a", "b", "spec", "tokens");
    Arbitrary<JsonNode> objects =
        Arbitraries.maps(keys, nested)
            .ofMaxSize(4)
            .map(
                m -> {
                  ObjectNode o = f.objectNode();
                  m.forEach(o::set);
                  return (JsonNode) o;
                });
    Arbitrary<JsonNode> arrays =
        nested
            .list()
            .ofMaxSize(3)
            .map(
                l -> {
                  ArrayNode a = f.arrayNode();
                  l.forEach(a::add);
                  return (JsonNode) a;
                });
    return Arbitraries.oneOf(scalars, objects, objects, arrays);
  }
}
