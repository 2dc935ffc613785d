package dev.k8swasm.wasi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.wasi.sandbox.BoundedOutput;
import dev.k8swasm.wasi.sandbox.Messages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How stdout becomes a response, or a failure that says what was wrong with it. */
class ResponseReaderTest {

  private static BoundedOutput output(String text) {
    BoundedOutput out = new BoundedOutput("stdout", 1 << 20);
    byte[] bytes = TestModules.utf8(text);
    out.write(bytes, 0, bytes.length);
    return out;
  }

  private static ModuleException failure(String stdout, String stderr) {
    try {
      ResponseReader.read("m", output(stdout), output(stderr), () -> null);
    } catch (ModuleException e) {
      return e;
    }
    throw new AssertionError("no failure for " + stdout);
  }

  @Test
  void returnsTheResponse() {
    assertThat(
            ResponseReader.read(
                    "m",
                    output(" \n{\"response\":{\"a\":1},\"error\":\"\",\"x\":2}\n"),
                    output(""),
                    () -> null)
                .path("a")
                .asInt())
        .isEqualTo(1);
    assertThat(
            ResponseReader.read(
                    "m", output("{\"response\":{},\"error\":null}"), output(""), () -> null)
                .isObject())
        .isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''                                   | BAD_OUTPUT   | wrote nothing to stdout",
        "not json                             | BAD_OUTPUT   | not one JSON document",
        "{\"response\":{}} {\"response\":{}}  | BAD_OUTPUT   | not one JSON document",
        "{\"response\":{}}garbage             | BAD_OUTPUT   | not one JSON document",
        "[1]                                  | BAD_OUTPUT   | not a JSON object",
        "{}                                   | BAD_OUTPUT   | neither a response nor an error",
        "{\"response\":null}                  | BAD_OUTPUT   | neither a response nor an error",
        "{\"response\":[1]}                   | BAD_OUTPUT   | response is a array",
        "{\"error\":\"no settings\"}          | MODULE_ERROR | reported an error: no settings",
        "{\"error\":{\"code\":7},\"response\":{}} | MODULE_ERROR | reported an error: {\"code\":7}",
      })
  void failsWithTheRightReason(String stdout, FailureReason reason, String detail) {
    ModuleException e = failure(stdout, "");

    assertThat(e.reason()).isEqualTo(reason);
    assertThat(e.getMessage()).contains(detail);
  }

  @Test
  void messagesQuoteAnEscapedRedactedExcerptOfStdoutAndStderr() {
    String stdout = "line one\nBearer abcdefgh " + "y".repeat(500);
    ModuleException e = failure(stdout, "warn: \"token\": \"s3cret\"\u0007");

    assertThat(e.getMessage())
        .contains("\"line one\\nBearer <redacted> yyy", "more characters)")
        .contains("stderr: warn: \"token\": \"<redacted>\"\\u0007")
        .doesNotContain("abcdefgh", "s3cret", "\n");
  }

  @Test
  void aSecretRepeatedBareIsRemovedEvenWhereTheExcerptIsCut() {
    String token = "0123456789abcdef";
    String stderr = "x".repeat(Messages.STDERR_CHARS - 4) + token + " and again " + token;
    String stdout = "{\"error\":\"bad " + token + "\"}";

    ModuleException e;
    try {
      ResponseReader.read("m", output(stdout), output(stderr), () -> token);
      throw new AssertionError("no failure");
    } catch (ModuleException failure) {
      e = failure;
    }

    assertThat(e.reason()).isEqualTo(FailureReason.MODULE_ERROR);
    assertThat(e.getMessage()).contains("bad <redacted>").doesNotContain("0123");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"response\":{\"apiVersion\":\"admission.k8s.io/v1\",\"response\":{\"uid\":\"u\",\"allowed\":true}}}",
        " \n{\"x\":[1,{\"y\":2}],\"response\":{\"kind\":\"AdmissionReview\",\"z\":1.50},\"error\":\"\"}\n",
        "{\"error\":null,\"response\":{\"response\":{\"allowed\":false,\"status\":{\"code\":403}},\"u\":[]}}",
        "{\"response\":{\"kind\":\"first\"},\"response\":{\"kind\":\"second\"}}",
        "{\"error\":\"x\",\"response\":{\"kind\":\"k\"},\"error\":\"\"}",
        "\uFEFF{\"response\":{\"kind\":\"after a byte order mark\"}}",
        // duplicate keys: the last one wins, as in a tree (and in Go's encoding/json)
        "{\"response\":{\"apiVersion\":\"a\",\"kind\":\"k\",\"apiVersion\":\"b\"}}",
        "{\"response\":{\"response\":{\"uid\":\"u\",\"allowed\":false,\"allowed\":true}}}",
        "{\"response\":{\"x\":1,\"kind\":\"k\",\"x\":{\"y\":2}}}",
      })
  void bindsTheResponseAsConvertingTheTreeDoes(String stdout) {
    AdmissionReview expected =
        Json.convert(
            ResponseReader.read("m", output(stdout), output(""), () -> null),
            AdmissionReview.class);

    assertThat(
            ResponseReader.read("m", output(stdout), output(""), () -> null, AdmissionReview.class)
                .get())
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not json",
        "{\"response\":{}} {\"response\":{}}",
        "{\"response\":{}}garbage",
        "[1]",
        "{}",
        "{\"response\":null}",
        "{\"response\":{}, \"response\":null}",
        "{\"response\":[1]}",
        "{\"error\":\"no settings\"}",
        "{\"response\":{}, \"error\":\"after the response\"}",
        "{\"error\":{\"code\":7},\"response\":{}}",
        "{\"response\":{\"request\":7},\"error\":\"bad request\"}",
      })
  void failsAsReadingTheTreeDoes(String stdout) {
    ModuleException expected = failure(stdout, "err");

    assertThatThrownBy(
            () ->
                ResponseReader.read(
                    "m", output(stdout), output("err"), () -> null, AdmissionReview.class))
        .isInstanceOfSatisfying(
            ModuleException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(expected.reason());
              assertThat(e.getMessage()).isEqualTo(expected.getMessage());
            });
  }

  @Test
  void aResponseThatDoesNotFitTheTypeFailsAsJsonConvertDoes() {
    String stdout = "{\"response\":{\"apiVersion\":[1],\"kind\":\"AdmissionReview\"}}";
    String expected;
    try {
      Json.convert(
          ResponseReader.read("m", output(stdout), output(""), () -> null), AdmissionReview.class);
      throw new AssertionError("no failure");
    } catch (IllegalArgumentException e) {
      expected = e.getMessage();
    }

    ResponseReader.Answer<AdmissionReview> answer =
        ResponseReader.read("m", output(stdout), output(""), () -> null, AdmissionReview.class);

    assertThatThrownBy(answer::get)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(expected);
  }
}
