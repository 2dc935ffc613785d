package dev.k8swasm.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.authn.TokenReview;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

  @Test
  void readTreeReadsJson() {
    JsonNode node = Json.readTree(" \n\t{\"a\": [1, \"b\"]}".getBytes(UTF_8));

    assertThat(node.path("a").get(1).asText()).isEqualTo("b");
  }

  @Test
  void readTreeReadsJsonArrays() {
    assertThat(Json.readTree("[1,2]".getBytes(UTF_8)).size()).isEqualTo(2);
  }

  @Test
  void readTreeReadsYaml() {
    JsonNode node =
        Json.readTree("modules:\n- name: x\n  module: ./x.wasm\n  debug: true\n".getBytes(UTF_8));

    assertThat(node.path("modules").get(0).path("module").asText()).isEqualTo("./x.wasm");
    assertThat(node.path("modules").get(0).path("debug").isBoolean()).isTrue();
  }

  @Test
  void yamlFlowStyleThatIsNotJsonIsYaml() {
    JsonNode node = Json.readTree("a: {b: [1, 2]}".getBytes(UTF_8));

    assertThat(node.path("a").path("b").size()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "\n\n"})
  void emptyDocumentsAreRejected(String text) {
    assertThatThrownBy(() -> Json.readTree(text.getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void invalidJsonSaysJson() {
    assertThatThrownBy(() -> Json.readTree("{\"a\": ".getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not valid JSON: ");
  }

  @Test
  void invalidYamlSaysYaml() {
    assertThatThrownBy(() -> Json.readTree("a: [1, 2\nb: c: d".getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not valid YAML: ");
  }

  @Test
  void convertExplainsAShapeMismatch() {
    JsonNode node = Json.readTree("{\"spec\": \"not an object\"}".getBytes(UTF_8));

    assertThatThrownBy(() -> Json.convert(node, TokenReview.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a valid TokenReview: ");
  }

  @Test
  void readExplainsAShapeMismatchAndInvalidJson() {
    assertThatThrownBy(() -> Json.read("{\"spec\": []}".getBytes(UTF_8), TokenReview.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a valid TokenReview: ");
    assertThatThrownBy(() -> Json.read("{".getBytes(UTF_8), TokenReview.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a valid TokenReview: ");
  }

  @Test
  void writeIsCompactJsonWithoutNulls() {
    TokenReview review = TokenReview.forToken("t", null);

    assertThat(Json.writeString(review))
        .isEqualTo(
            "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\","
                + "\"spec\":{\"token\":\"t\"}}");
    assertThat(new String(Json.write(review), UTF_8)).isEqualTo(Json.writeString(review));
    ObjectNode tree = Json.toTree(review);
    assertThat(tree.path("spec").path("token").asText()).isEqualTo("t");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1.0",
        "100.0",
        "0.50",
        "1.5E-7",
        "12345678901234567890123",
        "-9223372036854775809",
        "0.1000000000000000055511151231257827"
      })
  void numbersAreWrittenBackAsTheyWereRead(String number) {
    byte[] json = ("{\"spec\":{\"n\":" + number + "},\"m\":[" + number + "]}").getBytes(UTF_8);

    TokenReview review = Json.read(json, TokenReview.class);
    JsonNode tree = Json.readTree(json);

    assertThat(Json.writeString(review)).contains(":" + number + "}").contains("[" + number + "]");
    assertThat(Json.writeString(tree)).isEqualTo(new String(json, UTF_8));
    assertThat(Json.convert(tree, TokenReview.class)).isEqualTo(review);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e400", "-0.0", "2E+3", "1.0e2"})
  void exponentFormsKeepTheirValue(String number) {
    byte[] json = ("{\"spec\":{\"n\":" + number + "}}").getBytes(UTF_8);

    TokenReview review = Json.read(json, TokenReview.class);

    JsonNode written = Json.readTree(Json.write(review)).path("spec").path("n");
    assertThat(written.isFloatingPointNumber()).isTrue();
    assertThat(written.decimalValue()).isEqualByComparingTo(new java.math.BigDecimal(number));
  }

  @Test
  void integralFloatsStayFloats() {
    JsonNode read = Json.readTree("[1.0, 1]".getBytes(UTF_8));

    assertThat(read.get(0).isIntegralNumber()).isFalse();
    assertThat(read.get(1).isIntegralNumber()).isTrue();
  }

  @Test
  void deeplyNestedJsonIsRejectedNotAStackOverflow() {
    String deep = "[".repeat(2000) + "]".repeat(2000);

    assertThatThrownBy(() -> Json.readTree(deep.getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void unicodeSurvives() {
    String text = "{\"a\":\"äß€ 日本 \\ud83d\\ude00 \\u0000\"}";

    JsonNode node = Json.readTree(text.getBytes(UTF_8));

    assertThat(Json.readTree(Json.write(node))).isEqualTo(node);
    assertThat(node.path("a").asText()).contains("日本").contains("\uD83D\uDE00");
  }

  @Test
  void readersAndWritersShareTheConfigurationAndCannotChangeIt() {
    assertThat(List.of(Json.reader().getFactory().getFormatName())).containsExactly("JSON");
    assertThat(Json.writer().getFactory().getFormatName()).isEqualTo("JSON");
    assertThat(Json.yamlReader().getFactory().getFormatName()).isEqualTo("YAML");
    assertThat(Json.yamlWriter().getFactory().getFormatName()).isEqualTo("YAML");
    assertThat(
            Json.reader()
                .isEnabled(
                    com.fasterxml.jackson.databind.DeserializationFeature
                        .USE_BIG_DECIMAL_FOR_FLOATS))
        .isTrue();

    Json.reader()
        .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    assertThat(
            Json.reader()
                .isEnabled(
                    com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS))
        .isFalse();
    assertThat(Json.tree(List.of(1, "a")).toString()).isEqualTo("[1,\"a\"]");
  }
}
