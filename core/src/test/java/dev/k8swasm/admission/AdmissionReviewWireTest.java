package dev.k8swasm.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import dev.k8swasm.testing.FakeModule;
import dev.k8swasm.testing.Wire;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdmissionReviewWireTest {

  @Test
  void requestDocumentRoundTripsLosslesslyAndIsModelled() {
    AdmissionReview review =
        Wire.roundTrip("admissionreview-v1-request.json", AdmissionReview.class);

    assertThat(review.apiVersion()).isEqualTo(AdmissionReview.V1);
    assertThat(review.kind()).isEqualTo(AdmissionReview.KIND);
    assertThat(review.response()).isNull();
    assertThat(review.additionalProperties()).containsOnlyKeys("reviewUnknown");

    AdmissionRequest r = review.request();
    assertThat(r.uid()).isEqualTo("705ab4f5-6393-11e8-b7cc-42010a800002");
    assertThat(r.kind().group()).isEqualTo("apps");
    assertThat(r.kind().version()).isEqualTo("v1");
    assertThat(r.kind().kind()).isEqualTo("Deployment");
    assertThat(r.kind().additionalProperties()).containsOnlyKeys("gvkUnknown");
    assertThat(r.resource().resource()).isEqualTo("deployments");
    assertThat(r.resource().additionalProperties()).containsOnlyKeys("gvrUnknown");
    assertThat(r.subResource()).isEqualTo("scale");
    assertThat(r.requestKind().kind()).isEqualTo("Scale");
    assertThat(r.requestKind().additionalProperties()).containsOnlyKeys("rkUnknown");
    assertThat(r.requestResource().version()).isEqualTo("v1beta1");
    assertThat(r.requestResource().additionalProperties()).containsOnlyKeys("rrUnknown");
    assertThat(r.requestSubResource()).isEqualTo("scale");
    assertThat(r.name()).isEqualTo("web");
    assertThat(r.namespace()).isEqualTo("team-a");
    assertThat(r.operation()).isEqualTo("UPDATE");
    assertThat(r.userInfo().username()).isEqualTo("admin");
    assertThat(r.userInfo().extra())
        .containsEntry("some-key", List.of("some-value1", "some-value2"));
    assertThat(r.userInfo().additionalProperties()).containsOnlyKeys("userUnknown");
    assertThat(r.object().path("spec").path("replicas").asInt()).isEqualTo(3);
    assertThat(r.oldObject().path("spec").path("replicas").asInt()).isEqualTo(2);
    assertThat(r.dryRun()).isTrue();
    assertThat(r.dryRunOrFalse()).isTrue();
    assertThat(r.options().path("kind").asText()).isEqualTo("UpdateOptions");
    assertThat(r.additionalProperties()).containsOnlyKeys("requestUnknown");
  }

  @Test
  void responseDocumentRoundTripsLosslesslyAndIsModelled() {
    AdmissionReview review =
        Wire.roundTrip("admissionreview-v1-response.json", AdmissionReview.class);

    assertThat(review.request()).isNull();
    AdmissionResponse r = review.response();
    assertThat(r.uid()).isEqualTo("705ab4f5-6393-11e8-b7cc-42010a800002");
    assertThat(r.allowed()).isFalse();
    assertThat(r.allowedOrFalse()).isFalse();
    assertThat(r.patchType()).isEqualTo(AdmissionResponse.JSON_PATCH);
    assertThat(new String(r.patchBytes(), StandardCharsets.UTF_8))
        .isEqualTo("[{\"op\":\"add\",\"path\":\"/metadata/labels/foo\",\"value\":\"bar\"}]");
    assertThat(r.auditAnnotations())
        .containsExactly(Map.entry("policy", "replicas"), Map.entry("decision", "denied"));
    assertThat(r.warnings()).containsExactly("first warning", "second warning");
    assertThat(r.additionalProperties()).containsOnlyKeys("responseUnknown");

    Status s = r.status();
    assertThat(s.apiVersion()).isEqualTo("v1");
    assertThat(s.kind()).isEqualTo("Status");
    assertThat(s.status()).isEqualTo("Failure");
    assertThat(s.message()).isEqualTo("replicas must not exceed 10");
    assertThat(s.reason()).isEqualTo("Invalid");
    assertThat(s.code()).isEqualTo(422);
    assertThat(s.details().path("causes").get(0).path("field").asText()).isEqualTo("spec.replicas");
    assertThat(s.metadata().isObject()).isTrue();
    assertThat(s.additionalProperties()).containsOnlyKeys("statusUnknown");
  }

  @Test
  void deleteRequestKeepsItsNullObject() {
    AdmissionReview review =
        Wire.roundTrip("admissionreview-v1-delete.json", AdmissionReview.class);

    assertThat(review.request().object()).isNotNull();
    assertThat(review.request().object().isNull()).isTrue();
    assertThat(review.request().dryRun()).isFalse();
    assertThat(review.request().subResource()).isNull();
    JsonNode written = Wire.tree(Json.write(review));
    assertThat(written.path("request").has("object")).isTrue();
    assertThat(written.path("request").get("object").isNull()).isTrue();
  }

  @Test
  void builderAndCopiesKeepEveryField() {
    AdmissionRequest request =
        Json.read(
                dev.k8swasm.testing.Resources.bytes("wire/admissionreview-v1-request.json"),
                AdmissionReview.class)
            .request();

    assertThat(request.toBuilder().build()).isEqualTo(request);
    AdmissionRequest renamed = request.withUid("other");
    assertThat(renamed.uid()).isEqualTo("other");
    assertThat(renamed.withUid(request.uid())).isEqualTo(request);
    JsonNode newObject = FakeModule.parse("{\"a\":1}");
    AdmissionRequest changed = request.withObject(newObject);
    assertThat(changed.object()).isEqualTo(newObject);
    assertThat(changed.oldObject()).isEqualTo(request.oldObject());
    assertThat(changed.additionalProperties()).isEqualTo(request.additionalProperties());
  }

  @Test
  void reviewCopiesKeepTheirFields() {
    AdmissionReview review =
        Json.read(
            dev.k8swasm.testing.Resources.bytes("wire/admissionreview-v1-request.json"),
            AdmissionReview.class);
    AdmissionResponse response = AdmissionResponse.allow("x");

    AdmissionReview answered = review.withResponse(response);
    assertThat(answered.request()).isEqualTo(review.request());
    assertThat(answered.response()).isEqualTo(response);
    assertThat(answered.additionalProperties()).isEqualTo(review.additionalProperties());
    assertThat(answered.withRequest(null).request()).isNull();
    assertThat(AdmissionReview.of(review.request()).apiVersion()).isEqualTo(AdmissionReview.V1);
  }

  @Test
  void responseHelpers() {
    AdmissionResponse denied = AdmissionResponse.deny("u", 403, "no");
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.status().code()).isEqualTo(403);
    assertThat(denied.status().message()).isEqualTo("no");

    AdmissionResponse patched =
        AdmissionResponse.allow("u")
            .withPatch("[]".getBytes(StandardCharsets.UTF_8), AdmissionResponse.JSON_PATCH);
    assertThat(patched.patch()).isEqualTo("W10=");
    assertThat(patched.patchType()).isEqualTo("JSONPatch");
    assertThat(patched.toString()).contains("patch=[]");
    AdmissionResponse unpatched = patched.withPatch(null, AdmissionResponse.JSON_PATCH);
    assertThat(unpatched.patch()).isNull();
    assertThat(unpatched.patchType()).isNull();
    assertThat(unpatched.patchBytes()).isNull();

    AdmissionResponse annotated =
        AdmissionResponse.allow("u").withWarningsAndAnnotations(List.of("w"), Map.of("k", "v"));
    assertThat(annotated.warnings()).containsExactly("w");
    assertThat(annotated.auditAnnotations()).containsExactly(Map.entry("k", "v"));

    Status s = Status.of(409, "Conflict", "busy");
    assertThat(s.reason()).isEqualTo("Conflict");
    assertThat(s.message()).isEqualTo("busy");
    assertThat(s.code()).isEqualTo(409);
    assertThat(s.status()).isNull();
  }

  @Test
  void statusFactoriesLeaveNothingPositional() {
    Status failure = Status.failure(500, "InternalError", "boom");
    assertThat(Json.writeString(failure))
        .isEqualTo(
            "{\"status\":\"Failure\",\"message\":\"boom\",\"reason\":\"InternalError\",\"code\":500}");

    Status detailed =
        failure.withDetails(Json.readTree("{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
    assertThat(detailed.details().path("name").asText()).isEqualTo("x");
    assertThat(detailed.withDetails(null)).isEqualTo(failure);

    assertThat(Json.writeString(Status.of("only a message")))
        .isEqualTo("{\"message\":\"only a message\"}");
  }
}
