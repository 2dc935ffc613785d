package dev.k8swasm.kubewarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.json.Json;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** ValidationResponse parsing and its conversion to an AdmissionResponse, as Kubewarden does. */
class AdmissionResponsesTest {
  static final JsonNode OBJECT =
      TestPolicies.parse("{\"metadata\":{\"name\":\"a\",\"labels\":{\"x\":\"1\"}}}");

  static AdmissionResponse convert(String validationResponse, JsonNode original) {
    return AdmissionResponses.from(
        "uid-1",
        Optional.ofNullable(original),
        ValidationResponse.parse(validationResponse.getBytes()));
  }

  static String json(AdmissionResponse response) {
    return Json.writeString(response);
  }

  @Test
  void acceptedWithoutAnythingElse() {
    assertThat(json(convert("{\"accepted\":true}", OBJECT)))
        .isEqualTo("{\"uid\":\"uid-1\",\"allowed\":true}");
  }

  @Test
  void statusOnlyWhenMessageOrCodeGiven() {
    assertThat(json(convert("{\"accepted\":false}", OBJECT)))
        .isEqualTo("{\"uid\":\"uid-1\",\"allowed\":false}");
    assertThat(json(convert("{\"accepted\":false,\"message\":\"no\"}", OBJECT)))
        .isEqualTo("{\"uid\":\"uid-1\",\"allowed\":false,\"status\":{\"message\":\"no\"}}");
    assertThat(json(convert("{\"accepted\":false,\"code\":418}", OBJECT)))
        .isEqualTo("{\"uid\":\"uid-1\",\"allowed\":false,\"status\":{\"code\":418}}");
    assertThat(
            json(
                convert(
                    "{\"accepted\":false,\"message\":\"no\",\"code\":403,\"message2\":1}", OBJECT)))
        .isEqualTo(
            "{\"uid\":\"uid-1\",\"allowed\":false,\"status\":{\"message\":\"no\",\"code\":403}}");
    // a message on an acceptance is kept, as Kubewarden does
    assertThat(json(convert("{\"accepted\":true,\"message\":\"fine\",\"message\":null}", OBJECT)))
        .isEqualTo("{\"uid\":\"uid-1\",\"allowed\":true}");
  }

  @Test
  void mutatedObjectBecomesABase64JsonPatch() {
    AdmissionResponse r =
        convert(
            "{\"accepted\":true,\"mutated_object\":{\"metadata\":{\"name\":\"a\",\"labels\":{\"x\":\"2\",\"y\":\"3\"}}}}",
            OBJECT);
    assertThat(r.patchType()).isEqualTo("JSONPatch");
    JsonNode ops = Json.readTree(Base64.getDecoder().decode(r.patch()));
    assertThat(ops)
        .containsExactlyInAnyOrder(
            TestPolicies.parse(
                "{\"op\":\"replace\",\"path\":\"/metadata/labels/x\",\"value\":\"2\"}"),
            TestPolicies.parse("{\"op\":\"add\",\"path\":\"/metadata/labels/y\",\"value\":\"3\"}"));
  }

  @Test
  void anUnchangedObjectGivesNoPatch() {
    AdmissionResponse r = convert("{\"accepted\":true,\"mutated_object\":" + OBJECT + "}", OBJECT);
    assertThat(r.patch()).isNull();
    assertThat(r.patchType()).isNull();
    assertThat(convert("{\"accepted\":true,\"mutated_object\":null}", OBJECT).patch()).isNull();
  }

  @Test
  void mutatingANullObjectIsRejected() {
    String delete =
        "{\"uid\":\"uid-1\",\"allowed\":false,\"status\":{\"message\":\""
            + AdmissionResponses.DELETE_MUTATION_MESSAGE
            + "\"}}";
    assertThat(
            json(convert("{\"accepted\":true,\"mutated_object\":{},\"warnings\":[\"w\"]}", null)))
        .isEqualTo(delete);
    assertThat(
            json(convert("{\"accepted\":true,\"mutated_object\":{}}", TestPolicies.parse("null"))))
        .isEqualTo(delete);
    assertThat(json(convert("{\"accepted\":true}", null)))
        .isEqualTo("{\"uid\":\"uid-1\",\"allowed\":true}");
  }

  @Test
  void warningsAndAuditAnnotationsPassThrough() {
    assertThat(
            json(
                convert(
                    "{\"accepted\":true,\"warnings\":[\"a\",\"b\"],\"audit_annotations\":{\"k\":\"v\"}}",
                    OBJECT)))
        .isEqualTo(
            "{\"uid\":\"uid-1\",\"allowed\":true,\"auditAnnotations\":{\"k\":\"v\"},\"warnings\":[\"a\",\"b\"]}");
  }

  @Test
  void invalidValidationResponses() {
    for (String[] bad :
        new String[][] {
          {"", "the answer is empty"},
          {"{", "not JSON"},
          {"[]", "not a JSON object"},
          {"{}", "'accepted' is missing"},
          {"{\"accepted\":\"yes\"}", "'accepted' is missing or not a boolean"},
          {"{\"accepted\":true,\"message\":1}", "'message' is not a string"},
          {"{\"accepted\":true,\"code\":\"403\"}", "'code' is not an HTTP status code"},
          {"{\"accepted\":true,\"code\":70000}", "'code' is not an HTTP status code"},
          {"{\"accepted\":true,\"warnings\":\"w\"}", "'warnings' is not a list"},
          {"{\"accepted\":true,\"warnings\":[1]}", "not a string"},
          {"{\"accepted\":true,\"audit_annotations\":[]}", "'audit_annotations' is not an object"},
          {
            "{\"accepted\":true,\"audit_annotations\":{\"a\":1}}",
            "audit annotation 'a' is not a string"
          },
        }) {
      assertThatThrownBy(() -> ValidationResponse.parse(bad[0].getBytes()))
          .as(bad[0])
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bad[1]);
    }
  }

  @Test
  void settingsValidationResponses() {
    assertThat(SettingsValidation.parse("{\"valid\":true}".getBytes()))
        .isEqualTo(SettingsValidation.ok());
    assertThat(SettingsValidation.parse("{\"valid\":false,\"message\":\"m\"}".getBytes()))
        .isEqualTo(SettingsValidation.invalid("m"));
    assertThat(SettingsValidation.parse("{\"valid\":false,\"message\":null}".getBytes()).message())
        .isEmpty();
    assertThat(Json.writeString(SettingsValidation.invalid("m").toJson()))
        .isEqualTo("{\"valid\":false,\"message\":\"m\"}");
    assertThatThrownBy(() -> SettingsValidation.parse("{\"valid\":1}".getBytes()))
        .hasMessageContaining("'valid' is missing or not a boolean");
    assertThatThrownBy(() -> SettingsValidation.parse("x".getBytes()))
        .hasMessageContaining("not JSON");
  }

  @Test
  void kubewardenFailureAndPolicyServerConstraints() {
    assertThat(json(AdmissionResponses.internalServerError("u", "Guest call failure: boom")))
        .isEqualTo(
            "{\"uid\":\"u\",\"allowed\":false,\"status\":{\"message\":\"internal server error: Guest call failure: boom\",\"code\":500}}");
    AdmissionResponse mutated =
        convert(
            "{\"accepted\":true,\"mutated_object\":{\"a\":1},\"warnings\":[\"w\"],\"audit_annotations\":{\"k\":\"v\"}}",
            OBJECT);
    assertThat(json(AdmissionResponses.notAllowedToMutate("p", mutated)))
        .isEqualTo(
            "{\"uid\":\"uid-1\",\"allowed\":false,\"status\":{\"message\":\"Request rejected by policy p."
                + " The policy attempted to mutate the request, but it is currently configured to not allow"
                + " mutations.\"},\"auditAnnotations\":{\"k\":\"v\"},\"warnings\":[\"w\"]}");
    assertThat(json(AdmissionResponses.monitor(mutated)))
        .isEqualTo(
            "{\"uid\":\"uid-1\",\"allowed\":true,\"auditAnnotations\":{\"k\":\"v\"},\"warnings\":[\"w\"]}");
    assertThat(json(AdmissionResponses.monitor(AdmissionResponses.internalServerError("u", "x"))))
        .isEqualTo("{\"uid\":\"u\",\"allowed\":true}");
  }
}
