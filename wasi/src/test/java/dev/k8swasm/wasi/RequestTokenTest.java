package dev.k8swasm.wasi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Finding the bearer token of a TokenReview request, and nothing else. */
class RequestTokenTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      value = {
        "{\"kind\":\"TokenReview\",\"spec\":{\"token\":\"abc.def\"}} | abc.def",
        "{\"meta\":{\"spec\":{\"token\":\"no\"}},\"spec\":{\"audiences\":[\"a\"],\"token\":\"t\"}}"
            + " | t",
        "{\"spec\":{\"token\":7}}                                 | NULL",
        "{\"spec\":[\"token\"]}                                   | NULL",
        "{\"token\":\"top-level\"}                                | NULL",
        "{\"spec\":{\"token\":\"cut                              | NULL",
        "not json                                                 | NULL",
        "[]                                                       | NULL",
      })
  void findsSpecTokenOnly(String request, String token) {
    assertThat(RequestToken.of(request.getBytes(StandardCharsets.UTF_8)).get()).isEqualTo(token);
  }
}
