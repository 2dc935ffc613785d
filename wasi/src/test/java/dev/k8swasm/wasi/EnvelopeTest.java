package dev.k8swasm.wasi;

import static dev.k8swasm.wasi.TestModules.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a module receives: the input envelope, settings, {@code _initialize}; and how requests are
 * checked before they reach it. Uses the echo test module, which answers with its stdin.
 */
class EnvelopeTest {

  private static ModuleSpec.Builder echo(Engine engine) {
    return TestModules.spec(TestModules.own("echo"), engine);
  }

  /** The envelope the module read, as text, and how often {@code _initialize} ran. */
  private static JsonNode run(PolicyModule module, byte[] request) {
    return module.evaluate(ReviewKind.ADMISSION, request);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void passesTheRequestBytesUnchangedAndOmitsMissingSettings(Engine engine) {
    byte[] request = utf8("{ \"kind\" : \"AdmissionReview\",\n \"n\": [1.5, null] }");
    try (PolicyModule module = TestModules.load(echo(engine).build())) {
      JsonNode envelope = run(module, request).path("envelope");

      assertThat(envelope.has("settings")).isFalse();
      assertThat(envelope.path("request")).isEqualTo(Json.readTree(request));
    }
  }

  @Test
  void envelopeBytesAreTheRequestAsGivenAndTheSettingsSerialisedOnce() {
    byte[] request = utf8("{ \"n\": 1.50 }");

    assertThat(new Envelope(Optional.empty()).wrap(request))
        .asString(StandardCharsets.UTF_8)
        .isEqualTo("{\"request\":{ \"n\": 1.50 }}");
    assertThat(new Envelope(Optional.of(Json.readTree(utf8("{\"a\": [1, \"x\"]}")))).wrap(request))
        .asString(StandardCharsets.UTF_8)
        .isEqualTo("{\"request\":{ \"n\": 1.50 },\"settings\":{\"a\":[1,\"x\"]}}");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void buildsTheEnvelopeByConcatenation(Engine engine) {
    try (PolicyModule module =
        TestModules.load(
            echo(engine).settings(Json.readTree(utf8("{\"level\": \"high\"}"))).build())) {
      byte[] request = utf8("{\"a\":  [1, 2]}");

      // the module's stdin, exactly: the request as given, the settings serialised compactly
      String expected = "{\"request\":{\"a\":  [1, 2]},\"settings\":{\"level\":\"high\"}}";
      JsonNode answer = run(module, request);
      assertThat(answer.path("envelope")).isEqualTo(Json.readTree(utf8(expected)));
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void passesSettingsOnEveryCall(Engine engine) {
    JsonNode settings = Json.readTree(utf8("{\"allowed\":[\"a\",\"b\"],\"max\":3}"));
    try (PolicyModule module = TestModules.load(echo(engine).settings(settings).build())) {
      for (int i = 0; i < 3; i++) {
        assertThat(run(module, utf8("{}")).path("envelope").path("settings")).isEqualTo(settings);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void passesNullSettingsAsNull(Engine engine) {
    try (PolicyModule module =
        TestModules.load(echo(engine).settings(NullNode.getInstance()).build())) {
      JsonNode envelope = run(module, utf8("{}")).path("envelope");

      assertThat(envelope.has("settings")).isTrue();
      assertThat(envelope.get("settings").isNull()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void runsInitializeOncePerEvaluation(Engine engine) {
    PolicyModule module = TestModules.shared(TestModules.own("echo"), engine);
    for (int i = 0; i < 3; i++) {
      assertThat(run(module, utf8("{}")).path("initialized").asInt()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void initializeSeesEmptyStdinAndItsStdoutIsDiscarded(Engine engine) {
    // echo's _initialize reads stdin and writes text to stdout before the export runs
    JsonNode answer = run(TestModules.shared(TestModules.own("echo"), engine), utf8("{\"a\":1}"));

    assertThat(answer.path("initStdin").asInt()).isZero();
    assertThat(answer.path("envelope").path("request").path("a").asInt()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void passesLargeRequests(Engine engine) {
    String big = "x".repeat(300_000);
    JsonNode envelope =
        run(TestModules.shared(TestModules.own("echo"), engine), utf8("{\"big\":\"" + big + "\"}"))
            .path("envelope");

    assertThat(envelope.path("request").path("big").asText()).isEqualTo(big);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void rejectsRequestsOverTheLimit(Engine engine) {
    Limits limits = TestModules.RELAXED.toBuilder().maxRequestBytes(100).build();
    try (PolicyModule module = TestModules.load(echo(engine).limits(limits).build())) {
      byte[] request = utf8("{\"pad\":\"" + "x".repeat(100) + "\"}");

      assertThatThrownBy(() -> run(module, request))
          .isInstanceOfSatisfying(
              ModuleException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(FailureReason.BAD_REQUEST);
                assertThat(e.getMessage()).contains("110 bytes", "limit of 100 bytes", "echo");
              });
      assertThat(run(module, utf8("{\"pad\":\"" + "x".repeat(80) + "\"}")).isObject()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void rejectsRequestsThatAreNotJsonObjects(Engine engine) {
    PolicyModule module = TestModules.shared(TestModules.own("echo"), engine);
    for (String request : new String[] {"", "  ", "[1]", "\"text\"", "token: x"}) {
      assertThatThrownBy(() -> run(module, request.getBytes(StandardCharsets.UTF_8)))
          .isInstanceOfSatisfying(
              ModuleException.class,
              e -> assertThat(e.reason()).isEqualTo(FailureReason.BAD_REQUEST));
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void refusesKindsTheModuleDoesNotExport(Engine engine) {
    PolicyModule module = TestModules.shared(TestModules.own("authz_only"), engine);

    assertThat(module.kinds()).containsExactly(ReviewKind.AUTHORIZATION);
    assertThat(
            module
                .evaluate(ReviewKind.AUTHORIZATION, utf8("{}"))
                .path("status")
                .path("allowed")
                .asBoolean())
        .isTrue();
    assertThatThrownBy(() -> module.evaluate(ReviewKind.AUTHENTICATION, Requests.tokenReview("t")))
        .isInstanceOfSatisfying(
            ModuleException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.UNSUPPORTED);
              assertThat(e.getMessage()).contains("authn", "TokenReview", "authz_only");
            });
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void closedModulesRefuseToEvaluate(Engine engine) {
    PolicyModule module = TestModules.load(echo(engine).build());
    assertThat(run(module, utf8("{}")).isObject()).isTrue();

    module.close();
    module.close();

    assertThatThrownBy(() -> run(module, utf8("{}")))
        .isInstanceOfSatisfying(
            ModuleException.class, e -> assertThat(e.reason()).isEqualTo(FailureReason.CLOSED));
  }
}
