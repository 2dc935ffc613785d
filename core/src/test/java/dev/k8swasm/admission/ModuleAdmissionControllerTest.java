package dev.k8swasm.admission;

import static dev.k8swasm.admission.Fixtures.answer;
import static dev.k8swasm.admission.Fixtures.base64;
import static dev.k8swasm.admission.Fixtures.configMap;
import static dev.k8swasm.admission.Fixtures.create;
import static dev.k8swasm.admission.Fixtures.patchOf;
import static dev.k8swasm.admission.Fixtures.review;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ReviewKind;
import dev.k8swasm.observe.Evaluation;
import dev.k8swasm.testing.FakeModule;
import dev.k8swasm.testing.FakeModule.Responder;
import dev.k8swasm.testing.RecordingListener;
import dev.k8swasm.testing.Resources;
import dev.k8swasm.testing.Wire;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class ModuleAdmissionControllerTest {
  static final ObjectNode CM = configMap("cm", "app", "web");

  static ModuleAdmissionController validator(Responder responder) {
    return ModuleAdmissionController.validating(FakeModule.of("v", responder));
  }

  static ModuleAdmissionController mutator(Responder responder) {
    return ModuleAdmissionController.mutating(FakeModule.of("m", responder));
  }

  static AbstractThrowableAssert<?, ? extends Throwable> assertBadOutput(
      ModuleAdmissionController controller, AdmissionRequest request) {
    return assertThatThrownBy(() -> controller.admit(review(request)))
        .isInstanceOfSatisfying(
            ModuleException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.BAD_OUTPUT);
              assertThat(e.moduleName()).isEqualTo(controller.name());
            });
  }

  @Test
  void theModuleReceivesTheReviewUnchanged() {
    byte[] document = Resources.bytes("wire/admissionreview-v1-request.json");
    AdmissionReview review = Json.read(document, AdmissionReview.class);
    FakeModule module = FakeModule.of("v", Fixtures.allow());

    AdmissionReview answered = ModuleAdmissionController.validating(module).admit(review);

    assertThat(module.onlyRequest()).isEqualTo(Wire.tree(document));
    assertThat(answered.request()).isEqualTo(review.request());
    assertThat(answered.response().allowed()).isTrue();
    assertThat(answered.response().uid()).isEqualTo(review.request().uid());
  }

  @Test
  void theModuleAlwaysReceivesAV1AdmissionReviewWithoutResponse() {
    FakeModule module = FakeModule.of("v", Fixtures.allow());
    AdmissionReview odd =
        new AdmissionReview(
            "admission.k8s.io/v1beta1", null, create(CM), AdmissionResponse.allow("x"), null);

    ModuleAdmissionController.validating(module).admit(odd);

    JsonNode sent = module.onlyRequest();
    assertThat(sent.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(sent.path("kind").asText()).isEqualTo("AdmissionReview");
    assertThat(sent.has("response")).isFalse();
  }

  @Test
  void aReviewWithoutRequestIsABadRequest() {
    ModuleAdmissionController controller = validator(Fixtures.allow());

    assertThatThrownBy(
            () ->
                controller.admit(
                    new AdmissionReview(AdmissionReview.V1, "AdmissionReview", null, null, null)))
        .isInstanceOfSatisfying(
            ModuleException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.BAD_REQUEST));
  }

  @Test
  void everythingInTheResponseIsKept() {
    ModuleAdmissionController controller =
        validator(
            Fixtures.respond(
                "\"allowed\":true,\"warnings\":[\"w1\",\"w2\"],"
                    + "\"auditAnnotations\":{\"k\":\"v\"},\"futureField\":{\"x\":1}"));

    AdmissionResponse response = controller.admit(review(create(CM))).response();

    assertThat(response.warnings()).containsExactly("w1", "w2");
    assertThat(response.auditAnnotations()).containsExactly(Map.entry("k", "v"));
    assertThat(response.additionalProperties()).containsOnlyKeys("futureField");
  }

  @Test
  void aDenialIsReturnedNotThrown() {
    ModuleAdmissionController controller =
        validator(Fixtures.deny("{\"message\":\"no\",\"code\":403}"));

    AdmissionResponse response = controller.admit(review(create(CM))).response();

    assertThat(response.allowed()).isFalse();
    assertThat(response.status().message()).isEqualTo("no");
    assertThat(response.status().code()).isEqualTo(403);
  }

  @Test
  void anAnswerThatIsNotAnAdmissionReviewIsRejected() {
    assertBadOutput(
            validator(r -> FakeModule.parse("{\"kind\":\"AdmissionReview\",\"response\":[1]}")),
            create(CM))
        .hasMessageContaining("response is not an AdmissionReview");
  }

  @Test
  void aMissingResponseIsRejected() {
    assertBadOutput(
            validator(
                r ->
                    FakeModule.parse(
                        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}")),
            create(CM))
        .hasMessageContaining("no response");
  }

  @Test
  void aWrongApiVersionOrKindIsRejected() {
    for (String header :
        List.of(
            "\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\"",
            "\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"Review\"",
            "\"kind\":\"AdmissionReview\"",
            "\"apiVersion\":\"admission.k8s.io/v1\"")) {
      Responder responder =
          r ->
              FakeModule.parse(
                  "{"
                      + header
                      + ",\"response\":{\"uid\":\""
                      + r.path("request").path("uid").asText()
                      + "\",\"allowed\":true}}");

      assertBadOutput(validator(responder), create(CM))
          .as(header)
          .hasMessageContaining("admission.k8s.io/v1")
          .hasMessageContaining("AdmissionReview");
    }
  }

  @Test
  void aUidMismatchIsRejected() {
    assertBadOutput(
            validator(
                r ->
                    FakeModule.parse(
                        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
                            + "\"response\":{\"uid\":\"other\",\"allowed\":true}}")),
            create(CM))
        .hasMessageContaining("'other'")
        .hasMessageContaining("'uid-1'");
    assertBadOutput(
            validator(
                r ->
                    FakeModule.parse(
                        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
                            + "\"response\":{\"allowed\":true}}")),
            create(CM))
        .hasMessageContaining("does not match the request uid");
  }

  @Test
  void aResponseThatIsNotAnAdmissionReviewIsRejected() {
    assertBadOutput(validator(r -> FakeModule.parse("{\"response\":[1]}")), create(CM))
        .hasMessageContaining("not an AdmissionReview");
  }

  @Test
  void patchWithoutPatchTypeAndTheReverseAreRejected() {
    String patch = base64("[]".getBytes(UTF_8));
    assertBadOutput(
            mutator(Fixtures.respond("\"allowed\":true,\"patch\":\"" + patch + "\"")), create(CM))
        .hasMessageContaining("patch and patchType must be set together");
    assertBadOutput(
            mutator(Fixtures.respond("\"allowed\":true,\"patchType\":\"JSONPatch\"")), create(CM))
        .hasMessageContaining("patch and patchType must be set together");
  }

  @Test
  void aValidatorMayNotReturnAPatch() {
    assertBadOutput(
            validator(Fixtures.jsonPatch("[{\"op\":\"add\",\"path\":\"/x\",\"value\":1}]")),
            create(CM))
        .hasMessageContaining("a validating module may not return a patch")
        // and it says how to declare the module mutating, in configuration and in code
        .hasMessageContaining("mutating: true in its configuration")
        .hasMessageContaining("ModuleAdmissionController.mutating(module)");
    assertBadOutput(validator(Fixtures.full(o -> o.put("x", 1))), create(CM))
        .hasMessageContaining("a validating module may not return a patch")
        .hasMessageContaining("mutating: true");
  }

  @Test
  void anUnsupportedPatchTypeIsRejected() {
    assertBadOutput(
            mutator(
                Fixtures.respond(
                    "\"allowed\":true,\"patchType\":\"MergePatch\",\"patch\":\""
                        + base64("{}".getBytes(UTF_8))
                        + "\"")),
            create(CM))
        .hasMessageContaining("unsupported patchType 'MergePatch'");
  }

  @Test
  void invalidBase64IsRejected() {
    assertBadOutput(
            mutator(
                Fixtures.respond(
                    "\"allowed\":true,\"patchType\":\"JSONPatch\",\"patch\":\"%%not base64%%\"")),
            create(CM))
        .hasMessageContaining("not valid base64");
  }

  @Test
  void invalidJsonIsRejected() {
    assertBadOutput(
            mutator(
                Fixtures.respond(
                    "\"allowed\":true,\"patchType\":\"Full\",\"patch\":\""
                        + base64("{not json".getBytes(UTF_8))
                        + "\"")),
            create(CM))
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void aJsonPatchThatDoesNotApplyIsRejected() {
    assertBadOutput(
            mutator(Fixtures.jsonPatch("[{\"op\":\"remove\",\"path\":\"/nope\"}]")), create(CM))
        .hasMessageContaining("does not apply");
    assertBadOutput(
            mutator(Fixtures.jsonPatch("[{\"op\":\"test\",\"path\":\"/kind\",\"value\":\"Pod\"}]")),
            create(CM))
        .hasMessageContaining("does not apply");
    assertBadOutput(mutator(Fixtures.jsonPatch("{\"op\":\"add\"}")), create(CM))
        .hasMessageContaining("JSON array");
  }

  @Test
  void aFullPatchThatIsNotAnObjectIsRejected() {
    assertBadOutput(
            mutator(
                Fixtures.respond(
                    "\"allowed\":true,\"patchType\":\"Full\",\"patch\":\""
                        + base64("[1]".getBytes(UTF_8))
                        + "\"")),
            create(CM))
        .hasMessageContaining("complete object");
  }

  @Test
  void aFullPatchBecomesAJsonPatchThatYieldsExactlyTheNewObject() {
    ModuleAdmissionController controller =
        mutator(
            Fixtures.full(
                o -> {
                  ((ObjectNode) o.get("data")).put("magic-value", "foobar");
                  ((ObjectNode) o.get("metadata")).remove("labels");
                }));

    AdmissionResponse response = controller.admit(review(create(CM))).response();

    assertThat(response.allowed()).isTrue();
    assertThat(response.patchType()).isEqualTo("JSONPatch");
    ObjectNode expected = CM.deepCopy();
    ((ObjectNode) expected.get("data")).put("magic-value", "foobar");
    ((ObjectNode) expected.get("metadata")).remove("labels");
    assertThat(JsonPatches.apply(patchOf(response), CM)).isEqualTo(expected);
  }

  @Test
  void aFullPatchReplacesTheObjectSoOmittedFieldsAreDropped() {
    ModuleAdmissionController controller =
        mutator(
            r ->
                answer(
                    r,
                    "\"allowed\":true,\"patchType\":\"Full\",\"patch\":\""
                        + base64("{\"kind\":\"ConfigMap\"}".getBytes(UTF_8))
                        + "\""));

    AdmissionResponse response = controller.admit(review(create(CM))).response();

    assertThat(JsonPatches.apply(patchOf(response), CM))
        .isEqualTo(FakeModule.parse("{\"kind\":\"ConfigMap\"}"));
  }

  @Test
  void aJsonPatchIsPassedOn() {
    String patch = "[{\"op\":\"add\",\"path\":\"/data/x\",\"value\":\"y\"}]";

    AdmissionResponse response =
        mutator(Fixtures.jsonPatch(patch)).admit(review(create(CM))).response();

    assertThat(response.patchType()).isEqualTo("JSONPatch");
    assertThat(patchOf(response)).isEqualTo(FakeModule.parse(patch));
  }

  @Test
  void patchesThatChangeNothingAreDropped() {
    for (Responder responder : List.of(Fixtures.full(o -> {}), Fixtures.jsonPatch("[]"))) {
      AdmissionResponse response = mutator(responder).admit(review(create(CM))).response();

      assertThat(response.allowed()).isTrue();
      assertThat(response.patch()).isNull();
      assertThat(response.patchType()).isNull();
    }
  }

  @Test
  void allowingWithoutPatchMeansNoChange() {
    AdmissionResponse response = mutator(Fixtures.allow()).admit(review(create(CM))).response();

    assertThat(response.allowed()).isTrue();
    assertThat(response.patch()).isNull();
  }

  @Test
  void theMutationOfADeleteIsRejected() {
    AdmissionRequest delete = Fixtures.configMapRequest("DELETE").oldObject(CM).build();
    AdmissionRequest deleteWithNullObject =
        Fixtures.configMapRequest("DELETE")
            .object(com.fasterxml.jackson.databind.node.NullNode.getInstance())
            .oldObject(CM)
            .build();

    assertBadOutput(
            mutator(Fixtures.jsonPatch("[{\"op\":\"add\",\"path\":\"/x\",\"value\":1}]")), delete)
        .hasMessageContaining("does not exist")
        .hasMessageContaining("DELETE");
    assertBadOutput(
            mutator(
                Fixtures.respond(
                    "\"allowed\":true,\"patchType\":\"Full\",\"patch\":\""
                        + base64("{}".getBytes(UTF_8))
                        + "\"")),
            deleteWithNullObject)
        .hasMessageContaining("does not exist");
  }

  @Test
  void aDenialDropsItsPatch() {
    ModuleAdmissionController controller =
        mutator(
            r ->
                answer(
                    r,
                    "\"allowed\":false,\"patchType\":\"JSONPatch\",\"patch\":\""
                        + base64("[{\"op\":\"remove\",\"path\":\"/nope\"}]".getBytes(UTF_8))
                        + "\""));

    AdmissionResponse response = controller.admit(review(create(CM))).response();

    assertThat(response.allowed()).isFalse();
    assertThat(response.patch()).isNull();
    assertThat(response.patchType()).isNull();
  }

  @Test
  void moduleFailuresPropagateAndAreReported() {
    RecordingListener listener = new RecordingListener();
    ModuleAdmissionController controller =
        ModuleAdmissionController.of(
            FakeModule.failing("f", FailureReason.MEMORY_LIMIT, "grew too big"), true, listener);

    assertThatThrownBy(() -> controller.admit(review(create(CM))))
        .isInstanceOfSatisfying(
            ModuleException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.MEMORY_LIMIT));
    assertThat(listener.evaluations())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.decision()).isEqualTo(dev.k8swasm.observe.EvaluationDecision.ERROR);
              assertThat(e.failure()).contains(FailureReason.MEMORY_LIMIT);
              assertThat(e.kind()).isEqualTo(ReviewKind.ADMISSION);
            });
  }

  @Test
  void theListenerSeesAllowedDeniedAndBadOutput() {
    RecordingListener listener = new RecordingListener();
    ModuleAdmissionController.of(FakeModule.of("a", Fixtures.allow()), false, listener)
        .admit(review(create(CM)));
    ModuleAdmissionController.of(FakeModule.of("d", Fixtures.deny("{}")), false, listener)
        .admit(review(create(CM)));
    ModuleAdmissionController bad =
        ModuleAdmissionController.of(
            FakeModule.of("b", r -> FakeModule.parse("{}")), false, listener);
    assertThatThrownBy(() -> bad.admit(review(create(CM)))).isInstanceOf(ModuleException.class);

    assertThat(listener.evaluations())
        .extracting(Evaluation::module, Evaluation::decisionLabel)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", "allowed"),
            org.assertj.core.groups.Tuple.tuple("d", "denied"),
            org.assertj.core.groups.Tuple.tuple("b", "error"));
    assertThat(listener.evaluations().get(2).failure()).contains(FailureReason.BAD_OUTPUT);
  }

  @Test
  void factoriesAndClose() {
    FakeModule module = FakeModule.of("x", Fixtures.allow());
    ModuleAdmissionController validating = ModuleAdmissionController.validating(module);
    ModuleAdmissionController mutating = ModuleAdmissionController.mutating(module);

    assertThat(validating.mutating()).isFalse();
    assertThat(mutating.mutating()).isTrue();
    assertThat(validating.name()).isEqualTo("x");
    assertThat(mutating.toString()).contains("x").contains("mutating");
    validating.close();
    assertThat(module.closeCount()).isEqualTo(1);
  }
}
