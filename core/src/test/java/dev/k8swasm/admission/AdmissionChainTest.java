package dev.k8swasm.admission;

import static dev.k8swasm.admission.Fixtures.CONFIGMAPS;
import static dev.k8swasm.admission.Fixtures.configMap;
import static dev.k8swasm.admission.Fixtures.create;
import static dev.k8swasm.admission.Fixtures.patchOf;
import static dev.k8swasm.admission.Fixtures.review;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.admission.rules.RuleWithOperations;
import dev.k8swasm.authz.SelectorRequirement;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.testing.FakeModule;
import dev.k8swasm.testing.FakeModule.Responder;
import dev.k8swasm.testing.Resources;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AdmissionChainTest {
  static final ObjectNode CM = configMap("cm", "app", "web");

  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

  /** A module that logs its name when called, then behaves as {@code responder}. */
  FakeModule module(String name, Responder responder) {
    return FakeModule.of(
        name,
        request -> {
          calls.add(name);
          return responder.respond(request);
        });
  }

  static AdmissionHook.Builder mutator(FakeModule module) {
    return AdmissionHook.builder(module.name(), ModuleAdmissionController.mutating(module))
        .rules(CONFIGMAPS);
  }

  static AdmissionHook.Builder validator(FakeModule module) {
    return AdmissionHook.builder(module.name(), ModuleAdmissionController.validating(module))
        .rules(CONFIGMAPS);
  }

  static Responder addLabel(String key, String value) {
    return Fixtures.full(
        o -> ((ObjectNode) o.get("metadata")).withObject("labels").put(key, value));
  }

  static AdmissionResponse admit(AdmissionChain chain, AdmissionRequest request) {
    return chain.admit(review(request)).response();
  }

  static JsonNode objectSeenBy(FakeModule module) {
    return module.onlyRequest().path("request").path("object");
  }

  @Test
  void mutatorsRunBeforeValidatorsWhateverTheRegistrationOrder() {
    FakeModule v1 = module("v1", Fixtures.allow());
    FakeModule m1 = module("m1", Fixtures.allow());
    FakeModule v2 = module("v2", Fixtures.allow());
    FakeModule m2 = module("m2", Fixtures.allow());
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(validator(v1).build())
            .add(mutator(m1).build())
            .add(validator(v2).build())
            .add(mutator(m2).build())
            .build();

    AdmissionResponse response = admit(chain, create(CM));

    assertThat(response.allowed()).isTrue();
    assertThat(calls).containsExactly("m1", "m2", "v1", "v2");
    assertThat(chain.mutators()).extracting(AdmissionHook::name).containsExactly("m1", "m2");
    assertThat(chain.validators()).extracting(AdmissionHook::name).containsExactly("v1", "v2");
    assertThat(chain.mutating()).isTrue();
  }

  @Test
  void eachMutatorSeesThePreviousChangesAndValidatorsSeeTheFinalObject() {
    FakeModule m1 = module("m1", addLabel("first", "1"));
    FakeModule m2 = module("m2", addLabel("second", "2"));
    FakeModule v = module("v", Fixtures.allow());
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(mutator(m1).build())
            .add(mutator(m2).build())
            .add(validator(v).build())
            .build();

    AdmissionResponse response = admit(chain, create(CM));

    ObjectNode afterFirst = CM.deepCopy();
    ((ObjectNode) afterFirst.at("/metadata/labels")).put("first", "1");
    ObjectNode afterSecond = afterFirst.deepCopy();
    ((ObjectNode) afterSecond.at("/metadata/labels")).put("second", "2");
    assertThat(objectSeenBy(m1)).isEqualTo(CM);
    assertThat(objectSeenBy(m2)).isEqualTo(afterFirst);
    assertThat(objectSeenBy(v)).isEqualTo(afterSecond);
    assertThat(response.patchType()).isEqualTo(AdmissionResponse.JSON_PATCH);
    assertThat(JsonPatches.apply(patchOf(response), CM)).isEqualTo(afterSecond);
  }

  @Test
  void theFinalPatchIsTheDiffFromTheOriginal() {
    FakeModule m1 = module("m1", addLabel("tmp", "x"));
    FakeModule m2 =
        module(
            "m2",
            Fixtures.jsonPatch("[{\"op\":\"replace\",\"path\":\"/data/key\",\"value\":\"new\"}]"));
    AdmissionChain chain =
        AdmissionChain.builder().add(mutator(m1).build()).add(mutator(m2).build()).build();

    AdmissionResponse response = admit(chain, create(CM));

    ObjectNode expected = CM.deepCopy();
    ((ObjectNode) expected.at("/metadata/labels")).put("tmp", "x");
    ((ObjectNode) expected.get("data")).put("key", "new");
    assertThat(patchOf(response)).isEqualTo(JsonPatches.diff(CM, expected));
    assertThat(JsonPatches.apply(patchOf(response), CM)).isEqualTo(expected);
  }

  @Test
  void changesThatCancelOutGiveNoPatch() {
    FakeModule m1 = module("m1", addLabel("tmp", "x"));
    FakeModule m2 =
        module("m2", Fixtures.jsonPatch("[{\"op\":\"remove\",\"path\":\"/metadata/labels/tmp\"}]"));
    AdmissionChain chain =
        AdmissionChain.builder().add(mutator(m1).build()).add(mutator(m2).build()).build();

    AdmissionResponse response = admit(chain, create(CM));

    assertThat(response.allowed()).isTrue();
    assertThat(response.patch()).isNull();
    assertThat(response.patchType()).isNull();
    assertThat(m2.calls()).isEqualTo(1);
  }

  @Test
  void theFirstDenialWinsAndNamesTheModule() {
    FakeModule m = module("m", Fixtures.allow());
    FakeModule v1 =
        module(
            "v1",
            Fixtures.deny(
                "{\"message\":\"value not allowed\",\"reason\":\"Invalid\",\"code\":422,\"details\":{\"name\":\"cm\"}}"));
    FakeModule v2 = module("v2", Fixtures.deny("{\"message\":\"second\"}"));
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(validator(v1).build())
            .add(validator(v2).build())
            .add(mutator(m).build())
            .build();

    AdmissionResponse response = admit(chain, create(CM));

    assertThat(response.allowed()).isFalse();
    assertThat(response.uid()).isEqualTo("uid-1");
    assertThat(response.patch()).isNull();
    Status status = response.status();
    assertThat(status.message()).isEqualTo("module \"v1\" denied the request: value not allowed");
    assertThat(status.reason()).isEqualTo("Invalid");
    assertThat(status.code()).isEqualTo(422);
    assertThat(status.status()).isEqualTo("Failure");
    assertThat(status.details()).isEqualTo(FakeModule.parse("{\"name\":\"cm\"}"));
    assertThat(calls).containsExactly("m", "v1");
  }

  @Test
  void aDenyingMutatorStopsEverythingAfterIt() {
    FakeModule m1 = module("m1", Fixtures.deny("{\"message\":\"no\"}"));
    FakeModule m2 = module("m2", Fixtures.allow());
    FakeModule v = module("v", Fixtures.allow());
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(mutator(m1).build())
            .add(mutator(m2).build())
            .add(validator(v).build())
            .build();

    AdmissionResponse response = admit(chain, create(CM));

    assertThat(response.allowed()).isFalse();
    assertThat(response.status().message()).isEqualTo("module \"m1\" denied the request: no");
    assertThat(calls).containsExactly("m1");
  }

  @Test
  void theDenialMessageFallsBackToTheReasonThenToNoExplanation() {
    assertThat(deniedWith("{\"reason\":\"Forbidden\"}").message())
        .isEqualTo("module \"v\" denied the request: Forbidden");
    assertThat(deniedWith("{\"message\":\"\",\"reason\":\"Forbidden\"}").message())
        .isEqualTo("module \"v\" denied the request: Forbidden");
    assertThat(deniedWith("{}").message())
        .isEqualTo("module \"v\" denied the request without explanation");
    assertThat(deniedWith("{\"message\":\"\",\"reason\":\"\"}").message())
        .isEqualTo("module \"v\" denied the request without explanation");
    Status noStatus = admitWith(Fixtures.respond("\"allowed\":false")).status();
    assertThat(noStatus.message()).isEqualTo("module \"v\" denied the request without explanation");
    assertThat(noStatus.code()).isEqualTo(400);
  }

  @Test
  void denialCodesBelow400Become400() {
    assertThat(deniedWith("{}").code()).isEqualTo(400);
    assertThat(deniedWith("{\"code\":200}").code()).isEqualTo(400);
    assertThat(deniedWith("{\"code\":399}").code()).isEqualTo(400);
    assertThat(deniedWith("{\"code\":400}").code()).isEqualTo(400);
    assertThat(deniedWith("{\"code\":403}").code()).isEqualTo(403);
    assertThat(deniedWith("{\"code\":503}").code()).isEqualTo(503);
  }

  private Status deniedWith(String status) {
    return admitWith(Fixtures.deny(status)).status();
  }

  private AdmissionResponse admitWith(Responder responder) {
    AdmissionChain chain =
        AdmissionChain.builder().add(validator(FakeModule.of("v", responder)).build()).build();
    AdmissionResponse response = admit(chain, create(CM));
    assertThat(response.allowed()).isFalse();
    return response;
  }

  @Test
  void warningsAreConcatenatedInOrderAndAuditAnnotationKeysPrefixedWithTheModuleName() {
    FakeModule m1 =
        module(
            "m1",
            Fixtures.respond(
                "\"allowed\":true,\"warnings\":[\"w1\",\"w2\"],\"auditAnnotations\":{\"k\":\"m1\"}"));
    FakeModule m2 = module("m2", Fixtures.respond("\"allowed\":true,\"warnings\":[\"w3\"]"));
    FakeModule v =
        module(
            "v",
            Fixtures.respond(
                "\"allowed\":true,\"warnings\":[\"w4\"],\"auditAnnotations\":{\"k\":\"v\",\"x\":\"y\"}"));
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(validator(v).build())
            .add(mutator(m1).build())
            .add(mutator(m2).build())
            .build();

    AdmissionResponse response = admit(chain, create(CM));

    assertThat(response.allowed()).isTrue();
    assertThat(response.warnings()).containsExactly("w1", "w2", "w3", "w4");
    assertThat(response.auditAnnotations())
        // "<module>.<key>": kube-apiserver itself prefixes "<webhook>/" and allows one slash only
        .containsExactly(Map.entry("m1.k", "m1"), Map.entry("v.k", "v"), Map.entry("v.x", "y"));
  }

  @Test
  void aDenialKeepsTheWarningsAndAnnotationsGatheredSoFar() {
    FakeModule m =
        module(
            "m",
            Fixtures.respond(
                "\"allowed\":true,\"warnings\":[\"from m\"],\"auditAnnotations\":{\"a\":\"1\"}"));
    FakeModule v =
        module(
            "v",
            Fixtures.respond(
                "\"allowed\":false,\"warnings\":[\"from v\"],\"auditAnnotations\":{\"b\":\"2\"},\"status\":{\"message\":\"no\"}"));
    AdmissionChain chain =
        AdmissionChain.builder().add(mutator(m).build()).add(validator(v).build()).build();

    AdmissionResponse response = admit(chain, create(CM));

    assertThat(response.allowed()).isFalse();
    assertThat(response.warnings()).containsExactly("from m", "from v");
    assertThat(response.auditAnnotations())
        .containsExactly(Map.entry("m.a", "1"), Map.entry("v.b", "2"));
  }

  @Test
  void noWarningsOrAnnotationsMeansNoneOnTheWire() {
    AdmissionChain chain =
        AdmissionChain.builder().add(validator(module("v", Fixtures.allow())).build()).build();

    AdmissionResponse response = admit(chain, create(CM));

    assertThat(response.warnings()).isNull();
    assertThat(response.auditAnnotations()).isNull();
    assertThat(Json.toTree(response))
        .isEqualTo(FakeModule.parse("{\"uid\":\"uid-1\",\"allowed\":true}"));
  }

  @Test
  void failurePolicyFailDeniesWith500NamingTheModuleAndReason() {
    FakeModule broken =
        module(
            "broken",
            r -> {
              throw new dev.k8swasm.module.ModuleException(
                  "broken", FailureReason.TIMEOUT, "ran past 2s");
            });
    FakeModule v = module("v", Fixtures.allow());
    AdmissionChain chain =
        AdmissionChain.builder().add(mutator(broken).build()).add(validator(v).build()).build();

    AdmissionResponse response = admit(chain, create(CM));

    assertThat(response.allowed()).isFalse();
    assertThat(response.uid()).isEqualTo("uid-1");
    assertThat(response.status().code()).isEqualTo(500);
    assertThat(response.status().message())
        .isEqualTo("failed calling module \"broken\": ran past 2s [TIMEOUT]");
    assertThat(response.status().reason()).isEqualTo("InternalError");
    assertThat(calls).containsExactly("broken");
  }

  @Test
  void badOutputFailsLikeAnyOtherFailure() {
    FakeModule wrongUid =
        module(
            "w",
            r ->
                FakeModule.parse(
                    "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
                        + "\"response\":{\"uid\":\"nope\",\"allowed\":true}}"));
    AdmissionChain chain = AdmissionChain.builder().add(validator(wrongUid).build()).build();

    AdmissionResponse response = admit(chain, create(CM));

    assertThat(response.status().code()).isEqualTo(500);
    assertThat(response.status().message())
        .startsWith("failed calling module \"w\": ")
        .contains("'nope'")
        .endsWith("[BAD_OUTPUT]");
  }

  @Test
  void failurePolicyIgnoreSkipsTheModuleWithAWarning() {
    FakeModule broken =
        module(
            "broken",
            r -> {
              throw new dev.k8swasm.module.ModuleException(
                  "broken", FailureReason.TRAP, "unreachable");
            });
    FakeModule m = module("m", addLabel("after", "yes"));
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(mutator(broken).failurePolicy(FailurePolicy.IGNORE).build())
            .add(mutator(m).build())
            .build();

    AdmissionResponse response = admit(chain, create(CM));

    assertThat(response.allowed()).isTrue();
    assertThat(response.warnings())
        .containsExactly(
            "module \"broken\" failed and was ignored (failurePolicy Ignore): unreachable [TRAP]");
    assertThat(calls).containsExactly("broken", "m");
    assertThat(JsonPatches.apply(patchOf(response), CM).at("/metadata/labels/after").asText())
        .isEqualTo("yes");
  }

  @Test
  void aPatchThatDoesNotApplyFailsEvenUnderIgnoreAsInKubernetes() {
    FakeModule badPatch =
        module("bad", Fixtures.jsonPatch("[{\"op\":\"remove\",\"path\":\"/nope\"}]"));
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(mutator(badPatch).failurePolicy(FailurePolicy.IGNORE).build())
            .build();

    AdmissionResponse response = admit(chain, create(CM));

    assertThat(response.allowed()).isFalse();
    assertThat(response.patch()).isNull();
    assertThat(response.status().code()).isEqualTo(500);
    assertThat(response.status().message())
        .startsWith("failed calling module \"bad\": ")
        .contains("does not apply");
  }

  @Test
  void controllersThatThrowOtherExceptionsOrAnswerNothingAreFailures() {
    AdmissionController throwing =
        review -> {
          throw new IllegalStateException("bug in controller");
        };
    AdmissionController silent = review -> review;
    AdmissionController nothing = review -> null;

    for (AdmissionController c : List.of(throwing, silent, nothing)) {
      AdmissionChain chain =
          AdmissionChain.builder()
              .add(AdmissionHook.builder("c", c).rules(CONFIGMAPS).build())
              .build();

      AdmissionResponse response = admit(chain, create(CM));

      assertThat(response.allowed()).isFalse();
      assertThat(response.status().code()).isEqualTo(500);
      assertThat(response.status().message()).startsWith("failed calling module \"c\": ");
    }
  }

  @Test
  void aValidatingHookMayNotPatchEvenWhenItsControllerDoes() {
    FakeModule m = module("m", addLabel("x", "y"));
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(
                AdmissionHook.builder("m", ModuleAdmissionController.validating(m))
                    .rules(CONFIGMAPS)
                    .build())
            .build();

    AdmissionResponse response = admit(chain, create(CM));

    assertThat(response.allowed()).isFalse();
    assertThat(response.status().code()).isEqualTo(500);
    assertThat(response.status().message())
        .contains("may not return a patch")
        .contains("ModuleAdmissionController.mutating(module)");
  }

  @Test
  void ofSortsTheHooksIntoPhasesKeepingTheirOrder() {
    FakeModule m = module("m", addLabel("x", "y"));
    FakeModule v1 = module("v1", Fixtures.allow());
    FakeModule v2 = module("v2", Fixtures.allow());
    AdmissionHook first = AdmissionHook.builder("v1", ModuleAdmissionController.of(v1)).build();
    AdmissionHook mutator =
        AdmissionHook.builder("m", ModuleAdmissionController.mutating(m)).build();
    AdmissionHook second = AdmissionHook.builder("v2", ModuleAdmissionController.of(v2)).build();

    AdmissionChain chain = AdmissionChain.of(List.of(first, mutator, second));

    assertThat(chain.mutators()).containsExactly(mutator);
    assertThat(chain.validators()).containsExactly(first, second);
    assertThat(chain.mutating()).isTrue();
  }

  @Test
  void hooksWithoutRulesAreNeverCalled() {
    FakeModule m = module("m", addLabel("x", "y"));
    FakeModule v = module("v", Fixtures.deny("{}"));
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(AdmissionHook.builder("m", ModuleAdmissionController.mutating(m)).build())
            .add(
                AdmissionHook.builder("v", ModuleAdmissionController.validating(v))
                    .rules(List.of())
                    .build())
            .build();

    AdmissionResponse response = admit(chain, create(CM));

    assertThat(response.allowed()).isTrue();
    assertThat(response.patch()).isNull();
    assertThat(calls).isEmpty();
  }

  @Test
  void hooksWhoseRulesDoNotMatchAreNotCalled() {
    FakeModule pods = module("pods", Fixtures.deny("{}"));
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(
                AdmissionHook.builder("pods", ModuleAdmissionController.validating(pods))
                    .rules(
                        RuleWithOperations.of(
                            List.of("*"), List.of(""), List.of("v1"), List.of("pods")))
                    .build())
            .build();

    assertThat(admit(chain, create(CM)).allowed()).isTrue();
    assertThat(calls).isEmpty();
  }

  @Test
  void admissionConfigurationObjectsAreNeverSentToModules() {
    FakeModule v = module("v", Fixtures.deny("{}"));
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(
                AdmissionHook.builder("v", ModuleAdmissionController.validating(v))
                    .rules(RuleWithOperations.ALL)
                    .build())
            .build();
    for (String resource :
        List.of(
            "validatingwebhookconfigurations",
            "mutatingwebhookconfigurations",
            "validatingadmissionpolicies",
            "validatingadmissionpolicybindings",
            "mutatingadmissionpolicies",
            "mutatingadmissionpolicybindings")) {
      AdmissionRequest request =
          Fixtures.configMapRequest("CREATE")
              .resource(GroupVersionResource.of("admissionregistration.k8s.io", "v1", resource))
              .namespace("")
              .object(FakeModule.parse("{\"metadata\":{\"name\":\"x\"}}"))
              .build();

      AdmissionResponse response = admit(chain, request);

      assertThat(response.allowed()).as(resource).isTrue();
      assertThat(response.uid()).isEqualTo("uid-1");
    }
    assertThat(calls).isEmpty();
    // the same resource names in other groups are not exempt
    AdmissionRequest lookalike =
        Fixtures.configMapRequest("CREATE")
            .resource(
                GroupVersionResource.of("example.com", "v1", "validatingwebhookconfigurations"))
            .object(CM)
            .build();
    assertThat(admit(chain, lookalike).allowed()).isFalse();
  }

  @Test
  void aUidIsGeneratedWhenMissingAndEchoed() {
    FakeModule v = module("v", Fixtures.allow());
    AtomicInteger n = new AtomicInteger();
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(validator(v).build())
            .uids(() -> "generated-" + n.incrementAndGet())
            .build();

    AdmissionResponse noUid = admit(chain, create(CM).withUid(null));
    AdmissionResponse emptyUid = admit(chain, create(CM).withUid(""));

    assertThat(noUid.uid()).isEqualTo("generated-1");
    assertThat(emptyUid.uid()).isEqualTo("generated-2");
    assertThat(v.received())
        .extracting(r -> r.path("request").path("uid").asText())
        .containsExactly("generated-1", "generated-2");
  }

  @Test
  void theDefaultGeneratedUidIsUniqueAndUsedThroughout() {
    FakeModule m = module("m", addLabel("a", "b"));
    FakeModule v = module("v", Fixtures.allow());
    AdmissionChain chain =
        AdmissionChain.builder().add(mutator(m).build()).add(validator(v).build()).build();

    AdmissionResponse first = admit(chain, create(CM).withUid(null));
    AdmissionResponse second = admit(chain, create(CM).withUid(null));

    assertThat(first.uid()).isNotBlank().isNotEqualTo(second.uid());
    assertThat(m.received().get(0).at("/request/uid").asText()).isEqualTo(first.uid());
    assertThat(v.received().get(0).at("/request/uid").asText()).isEqualTo(first.uid());
  }

  @Test
  void anExistingUidIsKept() {
    FakeModule v = module("v", Fixtures.allow());
    AdmissionChain chain =
        AdmissionChain.builder().add(validator(v).build()).uids(() -> "never").build();

    assertThat(admit(chain, create(CM)).uid()).isEqualTo("uid-1");
    assertThat(v.onlyRequest().at("/request/uid").asText()).isEqualTo("uid-1");
  }

  @Test
  void theAnswerKeepsTheReviewItWasGiven() {
    byte[] document = Resources.bytes("wire/admissionreview-v1-request.json");
    AdmissionReview review = Json.read(document, AdmissionReview.class);
    AdmissionChain chain = AdmissionChain.builder().build();

    AdmissionReview answer = chain.admit(review);

    assertThat(answer.apiVersion()).isEqualTo(review.apiVersion());
    assertThat(answer.kind()).isEqualTo(review.kind());
    assertThat(answer.request()).isEqualTo(review.request());
    assertThat(answer.additionalProperties()).isEqualTo(review.additionalProperties());
    assertThat(answer.response().allowed()).isTrue();
    assertThat(answer.response().uid()).isEqualTo(review.request().uid());
  }

  @Test
  void aReviewWithoutApiVersionIsAnsweredAsV1() {
    AdmissionReview answer =
        AdmissionChain.builder()
            .build()
            .admit(new AdmissionReview(null, null, create(CM), null, null));

    assertThat(answer.apiVersion()).isEqualTo(AdmissionReview.V1);
    assertThat(answer.kind()).isEqualTo(AdmissionReview.KIND);
  }

  @Test
  void aReviewWithoutRequestIsRejected() {
    assertThatThrownBy(
            () ->
                AdmissionChain.builder()
                    .build()
                    .admit(
                        new AdmissionReview(
                            AdmissionReview.V1, AdmissionReview.KIND, null, null, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no request");
  }

  @Test
  void aMutatorCannotMutateADelete() {
    FakeModule m =
        module("m", Fixtures.jsonPatch("[{\"op\":\"add\",\"path\":\"/x\",\"value\":1}]"));
    AdmissionChain chain = AdmissionChain.builder().add(mutator(m).build()).build();

    AdmissionResponse response =
        admit(chain, Fixtures.configMapRequest("DELETE").oldObject(CM).build());

    assertThat(response.allowed()).isFalse();
    assertThat(response.status().code()).isEqualTo(500);
    assertThat(response.status().message()).contains("does not exist");
    assertThat(response.patch()).isNull();
  }

  @Test
  void aDeleteWithoutPatchesIsAllowedWithoutPatch() {
    FakeModule m = module("m", Fixtures.allow());
    AdmissionChain chain = AdmissionChain.builder().add(mutator(m).build()).build();

    AdmissionResponse response =
        admit(chain, Fixtures.configMapRequest("DELETE").oldObject(CM).build());

    assertThat(response.allowed()).isTrue();
    assertThat(response.patch()).isNull();
    assertThat(m.calls()).isEqualTo(1);
  }

  // --- reinvocation ----------------------------------------------------------------------------

  /** A mutator that counts its calls into label {@code <name>-calls}; idempotent otherwise. */
  Responder counting(String name) {
    AtomicInteger n = new AtomicInteger();
    return Fixtures.full(
        o ->
            ((ObjectNode) o.get("metadata"))
                .withObject("annotations")
                .put(name + "-calls", n.incrementAndGet()));
  }

  @Test
  void ifNeededRerunsAnEarlierMutatorOnceWhenALaterOneChangedTheObject() {
    FakeModule early = module("early", Fixtures.allow());
    FakeModule later = module("later", addLabel("later", "yes"));
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(mutator(early).reinvocationPolicy(ReinvocationPolicy.IF_NEEDED).build())
            .add(mutator(later).build())
            .build();

    AdmissionResponse response = admit(chain, create(CM));

    assertThat(calls).containsExactly("early", "later", "early");
    assertThat(early.received().get(1).at("/request/object/metadata/labels/later").asText())
        .isEqualTo("yes");
    assertThat(response.allowed()).isTrue();
  }

  @Test
  void reinvocationHappensAtMostOnceEvenWhenTheRerunChangesTheObject() {
    FakeModule early = module("early", counting("early"));
    FakeModule later = module("later", counting("later"));
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(mutator(early).reinvocationPolicy(ReinvocationPolicy.IF_NEEDED).build())
            .add(mutator(later).reinvocationPolicy(ReinvocationPolicy.IF_NEEDED).build())
            .build();

    AdmissionResponse response = admit(chain, create(CM));

    assertThat(calls).containsExactly("early", "later", "early");
    JsonNode result = JsonPatches.apply(patchOf(response), CM);
    assertThat(result.at("/metadata/annotations/early-calls").asInt()).isEqualTo(2);
    assertThat(result.at("/metadata/annotations/later-calls").asInt()).isEqualTo(1);
  }

  @Test
  void neverIsNeverRerun() {
    FakeModule early = module("early", Fixtures.allow());
    FakeModule later = module("later", addLabel("later", "yes"));
    AdmissionChain chain =
        AdmissionChain.builder().add(mutator(early).build()).add(mutator(later).build()).build();

    admit(chain, create(CM));

    assertThat(calls).containsExactly("early", "later");
  }

  @Test
  void noRerunWhenNothingChangedAfterTheMutator() {
    FakeModule early = module("early", addLabel("early", "yes"));
    FakeModule later = module("later", Fixtures.allow());
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(mutator(early).reinvocationPolicy(ReinvocationPolicy.IF_NEEDED).build())
            .add(mutator(later).reinvocationPolicy(ReinvocationPolicy.IF_NEEDED).build())
            .build();

    admit(chain, create(CM));

    assertThat(calls).containsExactly("early", "later");
  }

  @Test
  void aDenialOnReinvocationDenies() {
    AtomicInteger n = new AtomicInteger();
    FakeModule early =
        module(
            "early",
            r ->
                n.incrementAndGet() == 1
                    ? Fixtures.allow().respond(r)
                    : Fixtures.deny("{\"message\":\"second look\"}").respond(r));
    FakeModule later = module("later", addLabel("later", "yes"));
    FakeModule v = module("v", Fixtures.allow());
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(mutator(early).reinvocationPolicy(ReinvocationPolicy.IF_NEEDED).build())
            .add(mutator(later).build())
            .add(validator(v).build())
            .build();

    AdmissionResponse response = admit(chain, create(CM));

    assertThat(response.allowed()).isFalse();
    assertThat(response.status().message())
        .isEqualTo("module \"early\" denied the request: second look");
    assertThat(calls).containsExactly("early", "later", "early");
  }

  // --- objectSelector --------------------------------------------------------------------------

  static LabelSelector selector(String key, String value) {
    return new LabelSelector(Map.of(key, value), null, null);
  }

  @Test
  void objectSelectorMatchesTheObjectOrTheOldObject() {
    FakeModule v = module("v", Fixtures.allow());
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(validator(v).objectSelector(selector("team", "a")).build())
            .build();
    ObjectNode teamA = configMap("cm", "team", "a");
    ObjectNode teamB = configMap("cm", "team", "b");

    admit(chain, create(teamA));
    admit(chain, create(teamB));
    admit(chain, Fixtures.configMapRequest("UPDATE").object(teamB).oldObject(teamA).build());
    admit(chain, Fixtures.configMapRequest("UPDATE").object(teamB).oldObject(teamB).build());
    admit(chain, Fixtures.configMapRequest("DELETE").oldObject(teamA).build());
    admit(chain, Fixtures.configMapRequest("DELETE").oldObject(teamB).build());
    admit(
        chain,
        Fixtures.configMapRequest("DELETE")
            .object(com.fasterxml.jackson.databind.node.NullNode.getInstance())
            .build());

    assertThat(v.received())
        .extracting(r -> r.at("/request/operation").asText())
        .containsExactly("CREATE", "UPDATE", "DELETE");
  }

  @Test
  void objectSelectorSeesEarlierMutations() {
    FakeModule labeller = module("labeller", addLabel("selected", "true"));
    FakeModule v = module("v", Fixtures.allow());
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(mutator(labeller).build())
            .add(validator(v).objectSelector(selector("selected", "true")).build())
            .build();

    admit(chain, create(CM));

    assertThat(calls).containsExactly("labeller", "v");
  }

  @Test
  void anEmptyObjectSelectorMatchesEvenWithoutObjects() {
    FakeModule v = module("v", Fixtures.allow());
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(validator(v).objectSelector(new LabelSelector(Map.of(), List.of(), null)).build())
            .build();

    admit(chain, Fixtures.configMapRequest("CONNECT").build());

    assertThat(v.calls()).isEqualTo(1);
  }

  @Test
  void aDoesNotExistObjectSelectorDoesNotMatchAMissingObject() {
    FakeModule v = module("v", Fixtures.allow());
    LabelSelector notLegacy =
        new LabelSelector(
            null, List.of(new SelectorRequirement("legacy", "DoesNotExist", null, null)), null);
    AdmissionChain chain =
        AdmissionChain.builder().add(validator(v).objectSelector(notLegacy).build()).build();

    admit(chain, Fixtures.configMapRequest("CONNECT").build());
    admit(chain, create(CM));

    assertThat(v.received())
        .extracting(r -> r.at("/request/operation").asText())
        .containsExactly("CREATE");
  }

  // --- namespaceSelector -----------------------------------------------------------------------

  @Test
  void namespaceSelectorUsesTheNamespaceLabelsLookup() {
    FakeModule v = module("v", Fixtures.allow());
    Map<String, Map<String, String>> namespaces =
        Map.of("prod", Map.of("env", "prod"), "dev", Map.of("env", "dev"));
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(validator(v).namespaceSelector(selector("env", "prod")).build())
            .namespaceLabels(ns -> Optional.ofNullable(namespaces.get(ns)))
            .build();

    admit(chain, Fixtures.configMapRequest("CREATE").namespace("prod").object(CM).build());
    admit(chain, Fixtures.configMapRequest("CREATE").namespace("dev").object(CM).build());

    assertThat(v.received())
        .extracting(r -> r.at("/request/namespace").asText())
        .containsExactly("prod");
  }

  @Test
  void namespaceObjectsAreSelectedByTheirOwnLabels() {
    FakeModule v = module("v", Fixtures.allow());
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(
                validator(v)
                    .rules(
                        RuleWithOperations.of(
                            List.of("*"), List.of(""), List.of("v1"), List.of("namespaces")))
                    .namespaceSelector(selector("env", "prod"))
                    .build())
            .namespaceLabels(
                ns -> {
                  throw new AssertionError("the lookup must not be used for Namespace objects");
                })
            .build();
    ObjectNode prod =
        (ObjectNode)
            FakeModule.parse(
                "{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"prod\",\"labels\":{\"env\":\"prod\"}}}");
    ObjectNode dev =
        (ObjectNode)
            FakeModule.parse(
                "{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"dev\",\"labels\":{\"env\":\"dev\"}}}");

    for (ObjectNode ns : List.of(prod, dev)) {
      String name = ns.at("/metadata/name").asText();
      admit(
          chain,
          AdmissionRequest.builder()
              .uid("u-" + name)
              .kind(GroupVersionKind.of("", "v1", "Namespace"))
              .resource(GroupVersionResource.of("", "v1", "namespaces"))
              .name(name)
              .namespace(name)
              .operation("CREATE")
              .object(ns)
              .build());
    }
    admit(
        chain,
        AdmissionRequest.builder()
            .uid("u-del")
            .resource(GroupVersionResource.of("", "v1", "namespaces"))
            .name("prod")
            .namespace("prod")
            .operation("DELETE")
            .oldObject(prod)
            .build());

    assertThat(v.received())
        .extracting(r -> r.at("/request/uid").asText())
        .containsExactly("u-prod", "u-del");
  }

  @Test
  void clusterScopedObjectsAreNotFilteredByNamespace() {
    FakeModule v = module("v", Fixtures.allow());
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(
                validator(v)
                    .rules(RuleWithOperations.ALL)
                    .namespaceSelector(selector("env", "prod"))
                    .build())
            .build();

    AdmissionResponse response =
        admit(
            chain,
            AdmissionRequest.builder()
                .uid("u")
                .resource(
                    GroupVersionResource.of("rbac.authorization.k8s.io", "v1", "clusterroles"))
                .operation("CREATE")
                .object(FakeModule.parse("{\"metadata\":{\"name\":\"r\"}}"))
                .build());

    assertThat(response.allowed()).isTrue();
    assertThat(v.calls()).isEqualTo(1);
  }

  @Test
  void aMissingNamespaceLabelsLookupIsAFailureUnderThePolicy() {
    FakeModule v = module("v", Fixtures.allow());
    AdmissionChain failing =
        AdmissionChain.builder()
            .add(validator(v).namespaceSelector(selector("env", "prod")).build())
            .build();
    AdmissionChain ignoring =
        AdmissionChain.builder()
            .add(
                validator(v)
                    .namespaceSelector(selector("env", "prod"))
                    .failurePolicy(FailurePolicy.IGNORE)
                    .build())
            .build();

    AdmissionResponse failed = admit(failing, create(CM));
    AdmissionResponse ignored = admit(ignoring, create(CM));

    assertThat(failed.allowed()).isFalse();
    assertThat(failed.status().code()).isEqualTo(500);
    assertThat(failed.status().message())
        .startsWith("failed calling module \"v\": ")
        .contains("NamespaceLabels");
    assertThat(ignored.allowed()).isTrue();
    assertThat(ignored.warnings()).singleElement().asString().contains("NamespaceLabels");
    assertThat(v.calls()).isZero();
  }

  @Test
  void anUnknownNamespaceIsAFailureUnderThePolicy() {
    FakeModule v = module("v", Fixtures.allow());
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(validator(v).namespaceSelector(selector("env", "prod")).build())
            .namespaceLabels(ns -> Optional.empty())
            .build();

    AdmissionResponse response = admit(chain, create(CM));

    assertThat(response.allowed()).isFalse();
    assertThat(response.status().message()).contains("namespace 'default' not found");
    assertThat(v.calls()).isZero();
  }

  @Test
  void selectorsAreValidatedWhenTheHookIsBuilt() {
    AdmissionHook.Builder builder =
        AdmissionHook.builder(
            "x", ModuleAdmissionController.validating(module("x", Fixtures.allow())));
    LabelSelector bad =
        new LabelSelector(null, List.of(new SelectorRequirement("k", "In", List.of(), null)), null);

    assertThatThrownBy(() -> builder.namespaceSelector(bad))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.objectSelector(bad))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void closingClosesEveryController() {
    FakeModule m = module("m", Fixtures.allow());
    FakeModule v = module("v", Fixtures.allow());
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(mutator(m).build())
            .add(validator(v).build())
            .add(AdmissionHook.builder("lambda", review -> review).build())
            .build();

    chain.close();

    assertThat(m.closeCount()).isEqualTo(1);
    assertThat(v.closeCount()).isEqualTo(1);
  }

  @Test
  void aClosedChainThrowsInsteadOfApplyingTheFailurePolicy() {
    FakeModule v = module("v", Fixtures.allow());
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(validator(v).failurePolicy(FailurePolicy.IGNORE).build())
            .build();
    assertThat(chain.admit(review(create(CM))).allowed()).isTrue();

    chain.close();
    chain.close();

    assertThat(v.closeCount()).isEqualTo(1);
    // with Ignore, the module's CLOSED failure would have quietly allowed the request
    assertThatThrownBy(() -> chain.admit(review(create(CM))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the admission chain is closed; build a new one");
  }

  @Test
  void aChainWithoutMutatorsIsNotMutating() {
    AdmissionChain chain =
        AdmissionChain.builder().add(validator(module("v", Fixtures.allow())).build()).build();

    assertThat(chain.mutating()).isFalse();
  }

  @Test
  void patchesAreBase64OnTheWire() {
    FakeModule m = module("m", addLabel("x", "y"));
    AdmissionChain chain = AdmissionChain.builder().add(mutator(m).build()).build();

    JsonNode wire = Json.toTree(chain.admit(review(create(CM))));

    String patch = wire.at("/response/patch").asText();
    assertThat(new String(java.util.Base64.getDecoder().decode(patch), StandardCharsets.UTF_8))
        .contains("\"op\":\"add\"")
        .contains("/metadata/labels/x");
    assertThat(wire.at("/response/patchType").asText()).isEqualTo("JSONPatch");
  }

  @Test
  void concurrentAdmissionsDoNotInterfere() throws Exception {
    FakeModule m =
        FakeModule.of(
            "m",
            Fixtures.full(
                o ->
                    ((ObjectNode) o.get("metadata"))
                        .withObject("labels")
                        .put("copied-name", o.at("/metadata/name").asText())));
    FakeModule v = FakeModule.of("v", Fixtures.allow());
    AdmissionChain chain =
        AdmissionChain.builder().add(mutator(m).build()).add(validator(v).build()).build();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Callable<Boolean>> tasks = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String name = "cm-" + i;
        tasks.add(
            () -> {
              ObjectNode object = configMap(name);
              AdmissionResponse response =
                  admit(
                      chain,
                      Fixtures.configMapRequest("CREATE")
                          .uid("uid-" + name)
                          .object(object)
                          .build());
              JsonNode result = JsonPatches.apply(patchOf(response), object);
              return response.uid().equals("uid-" + name)
                  && result.at("/metadata/labels/copied-name").asText().equals(name);
            });
      }
      for (java.util.concurrent.Future<Boolean> f : pool.invokeAll(tasks)) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(m.calls()).isEqualTo(200);
    assertThat(v.calls()).isEqualTo(200);
  }
}
