package dev.k8swasm.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.admission.rules.RuleWithOperations;
import dev.k8swasm.authn.UserInfo;
import dev.k8swasm.json.Json;
import dev.k8swasm.testing.FakeModule;
import dev.k8swasm.testing.FakeModule.Responder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

/** Requests, objects and module behaviours for the admission tests. */
final class Fixtures {
  private Fixtures() {}

  static final RuleWithOperations CONFIGMAPS =
      RuleWithOperations.of(List.of("*"), List.of(""), List.of("v1"), List.of("configmaps"));

  /** A ConfigMap with the given labels (name=value pairs) and data. */
  static ObjectNode configMap(String name, String... labels) {
    ObjectNode cm = (ObjectNode) FakeModule.parse("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"}");
    ObjectNode metadata = cm.putObject("metadata").put("name", name).put("namespace", "default");
    if (labels.length > 0) {
      ObjectNode l = metadata.putObject("labels");
      for (int i = 0; i < labels.length; i += 2) {
        l.put(labels[i], labels[i + 1]);
      }
    }
    cm.putObject("data").put("key", "value");
    return cm;
  }

  /** A CREATE of {@code object} as a configmap in namespace default. */
  static AdmissionRequest create(JsonNode object) {
    return configMapRequest("CREATE").object(object).build();
  }

  /** A request for a core/v1 configmap in namespace default, without object. */
  static AdmissionRequest.Builder configMapRequest(String operation) {
    return AdmissionRequest.builder()
        .uid("uid-1")
        .kind(GroupVersionKind.of("", "v1", "ConfigMap"))
        .resource(GroupVersionResource.of("", "v1", "configmaps"))
        .requestKind(GroupVersionKind.of("", "v1", "ConfigMap"))
        .requestResource(GroupVersionResource.of("", "v1", "configmaps"))
        .name("cm")
        .namespace("default")
        .operation(operation)
        .userInfo(UserInfo.of("jane", "1", List.of("dev")));
  }

  static AdmissionReview review(AdmissionRequest request) {
    return AdmissionReview.of(request);
  }

  /** An AdmissionReview answering {@code request} with the given response fields. */
  static ObjectNode answer(JsonNode request, String responseFields) {
    ObjectNode review =
        (ObjectNode)
            FakeModule.parse(
                "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
                    + "\"response\":{"
                    + responseFields
                    + "}}");
    ((ObjectNode) review.get("response")).set("uid", request.path("request").path("uid"));
    return review;
  }

  /** Allows. */
  static Responder allow() {
    return request -> answer(request, "\"allowed\":true");
  }

  /** Answers with these response fields (uid echoed). */
  static Responder respond(String responseFields) {
    return request -> answer(request, responseFields);
  }

  /** Denies with this status. */
  static Responder deny(String statusJson) {
    return request -> answer(request, "\"allowed\":false,\"status\":" + statusJson);
  }

  /** Allows with a Full patch: the request's object edited by {@code edit}. */
  static Responder full(Consumer<ObjectNode> edit) {
    return request -> {
      ObjectNode object = (ObjectNode) request.path("request").path("object").deepCopy();
      edit.accept(object);
      return answer(
          request,
          "\"allowed\":true,\"patchType\":\"Full\",\"patch\":\""
              + base64(Json.write(object))
              + "\"");
    };
  }

  /** Allows with this RFC 6902 patch. */
  static Responder jsonPatch(String patch) {
    return request ->
        answer(
            request,
            "\"allowed\":true,\"patchType\":\"JSONPatch\",\"patch\":\""
                + base64(patch.getBytes(StandardCharsets.UTF_8))
                + "\"");
  }

  static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** The decoded JSON patch of a response. */
  static JsonNode patchOf(AdmissionResponse response) {
    return FakeModule.parse(new String(response.patchBytes(), StandardCharsets.UTF_8));
  }
}
