package dev.k8swasm.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Examples of what {@link Redaction} removes and what it keeps. */
class RedactionCasesTest {

  private static JsonNode json(String text) {
    return Json.readTree(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void replacesTheTokenOfATokenReview() {
    String review =
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\","
            + "\"spec\":{\"token\":\"abc.def.ghi\",\"audiences\":[\"api\"]}}";

    assertThat(Redaction.redact(review))
        .isEqualTo(review.replace("\"abc.def.ghi\"", "\"<redacted>\""));
  }

  @Test
  void findsTokensAtAnyDepthAndInArrays() {
    String text = "{\"a\":[{\"b\":{\"token\":\"one\"}},{\"token\":\"two\"}],\"token\":\"three\"}";

    assertThat(json(Redaction.redact(text)))
        .isEqualTo(
            json(
                "{\"a\":[{\"b\":{\"token\":\"<redacted>\"}},{\"token\":\"<redacted>\"}],"
                    + "\"token\":\"<redacted>\"}"));
  }

  @Test
  void toleratesWhitespaceCaseAndEscapes() {
    assertThat(Redaction.redact("{\n  \"token\" :\n    \"abc\"\n}"))
        .isEqualTo("{\n  \"token\" :\n    \"<redacted>\"\n}");
    assertThat(Redaction.redact("{\"Token\":\"abc\"}")).isEqualTo("{\"Token\":\"<redacted>\"}");
    assertThat(Redaction.redact("{\"\\u0074oken\":\"abc\"}"))
        .isEqualTo("{\"\\u0074oken\":\"<redacted>\"}");
    assertThat(Redaction.redact("{\"token\":\"a\\\"b\\\\c\\u0041\",\"x\":1}"))
        .isEqualTo("{\"token\":\"<redacted>\",\"x\":1}");
  }

  @Test
  void replacesTokenValuesThatAreNotStrings() {
    assertThat(Redaction.redact("{\"token\":{\"a\":\"x\",\"b\":[1,\"}\"]},\"n\":1}"))
        .isEqualTo("{\"token\":\"<redacted>\",\"n\":1}");
    assertThat(Redaction.redact("{\"token\":12345,\"n\":1}"))
        .isEqualTo("{\"token\":\"<redacted>\",\"n\":1}");
  }

  @Test
  void keepsOtherFields() {
    String text = "{\"tokenName\":\"keep\",\"mytoken\":\"keep\",\"value\":\"token\"}";

    assertThat(Redaction.redact(text)).isEqualTo(text);
  }

  @Test
  void redactsJsonEscapedInsideStrings() {
    String inner = "{\"spec\":{\"token\":\"abc\"}}";
    String outer = Json.writeString(JsonNodeFactory.instance.objectNode().put("body", inner));

    String redacted = Redaction.redact(outer);

    assertThat(redacted).doesNotContain("abc");
    assertThat(json(json(redacted).path("body").asText()))
        .isEqualTo(json("{\"spec\":{\"token\":\"<redacted>\"}}"));
  }

  @Test
  void redactsBearerCredentials() {
    assertThat(Redaction.redact("Authorization: Bearer eyJhbGciOi.J9.x-y_z"))
        .isEqualTo("Authorization: Bearer <redacted>");
    assertThat(Redaction.redact("{\"h\":\"bearer   abc\"}"))
        .isEqualTo("{\"h\":\"bearer   <redacted>\"}");
    assertThat(Redaction.redact("{\"h\":\"Bearer\\u0020abc\"}")).doesNotContain("abc");
  }

  @Test
  void redactsTextThatIsNotJson() {
    assertThat(Redaction.redact("error: bad \"token\": \"abc\", retrying\nnext line"))
        .isEqualTo("error: bad \"token\": \"<redacted>\", retrying\nnext line");
    assertThat(Redaction.redact("unbalanced \" quote then \"token\": abc def\nok"))
        .doesNotContain("abc")
        .endsWith("\nok");
    assertThat(Redaction.redact("{\"spec\":{\"token\":\"abcdef")).doesNotContain("abcdef");
    assertThat(Redaction.redact("{\\\"token\\\":\\\"abcdef\\\"}")).doesNotContain("abcdef");
    assertThat(Redaction.redact("\"token\":")).isEqualTo("\"token\":\"<redacted>\"");
  }

  @Test
  void leavesTextWithoutSecretsAlone() {
    String text = "plain text with \"quotes\" and {\"json\": [1, 2]}";

    assertThat(Redaction.redact(text)).isEqualTo(text);
  }

  @Test
  void redactsBytes() {
    byte[] bytes = "{\"token\":\"abc\",\"bad\":\"\u00e9\"}".getBytes(StandardCharsets.UTF_8);
    bytes[bytes.length - 3] = (byte) 0xff; // malformed UTF-8

    assertThat(Redaction.redact(bytes))
        .startsWith("{\"token\":\"<redacted>\"")
        .doesNotContain("abc");
  }

  @Test
  void isIdempotent() {
    String once = Redaction.redact("{\"token\":\"abc\",\"h\":\"Bearer xyz\"}");

    assertThat(Redaction.redact(once)).isEqualTo(once);
  }
}
