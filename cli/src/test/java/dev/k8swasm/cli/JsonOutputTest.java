package dev.k8swasm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k8swasm.json.Json;
import org.junit.jupiter.api.Test;

class JsonOutputTest {

  @Test
  void twoSpaceIndentLikeKubectl() {
    String json =
        JsonOutput.pretty(Json.readTree("{\"a\":{\"b\":[1,\"x\"],\"e\":{},\"f\":[]}}".getBytes()));

    assertThat(json)
        .isEqualTo(
            "{\n"
                + "  \"a\": {\n"
                + "    \"b\": [\n"
                + "      1,\n"
                + "      \"x\"\n"
                + "    ],\n"
                + "    \"e\": {},\n"
                + "    \"f\": []\n"
                + "  }\n"
                + "}");
  }

  @Test
  void oneLineErrors() {
    assertThat(Errors.oneLine("invalid:\n  - first\r\n  - second\n"))
        .isEqualTo("invalid: - first - second");
  }
}
