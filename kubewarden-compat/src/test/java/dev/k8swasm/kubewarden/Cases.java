package dev.k8swasm.kubewarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The operations the tests run on every test policy, with the answers the policies must give (the
 * same cases as check.mjs, the Node reference): for each, the operation, its payload and either the
 * exact JSON answer or the guest's error text, and the host capabilities called.
 */
final class Cases {
  static final String F = TestHost.FAILURE;

  /**
   * One operation.
   *
   * @param name what it shows
   * @param operation validate or validate_settings
   * @param payload the payload text
   * @param answer the exact compact JSON answer, or null when the call fails
   * @param error the guest's error text when it fails
   * @param calls the host capabilities called, as recorded request types
   */
  record Case(
      String name,
      String operation,
      String payload,
      String answer,
      String error,
      List<String> calls) {
    @Override
    public String toString() {
      return operation + ": " + name;
    }
  }

  static final JsonNode POD = inner("pod-create.json");
  static final JsonNode POD_FORBIDDEN = inner("pod-create-forbidden.json");
  static final JsonNode POD_BARE = TestPolicies.requestJson("pod-request.json");
  static final JsonNode POD_DELETE = inner("pod-delete.json");
  static final String FORBID = "{\"forbiddenLabels\":[\"forbidden\"]}";
  static final String MUTATE = "{\"addLabels\":{\"owner\":\"k8s-wasm\"}}";
  static final String CAN_I_ALICE =
      "{\"user\":\"alice\",\"verb\":\"create\",\"resource\":\"pods\",\"namespace\":\"default\"}";
  static final String CONTEXT_DEFAULT =
      "{\"api_version\":\"v1\",\"kind\":\"Namespace\",\"name\":\"default\"}";

  private Cases() {}

  private static JsonNode inner(String file) {
    return TestPolicies.requestJson(file).get("request");
  }

  static String validatePayload(JsonNode request, String settings) {
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.set("request", request);
    payload.set("settings", Json.readTree(settings.getBytes()));
    return Json.writeString(payload);
  }

  /** {@code object} with {@code metadata.labels} replaced by {@code labels}, order kept. */
  static JsonNode withLabels(JsonNode object, String labels) {
    ObjectNode copy = object.deepCopy();
    ((ObjectNode) copy.get("metadata")).set("labels", Json.readTree(labels.getBytes()));
    return copy;
  }

  private static Case ok(
      String name, JsonNode request, String settings, String answer, String... calls) {
    return new Case(
        name, "validate", validatePayload(request, settings), answer, null, List.of(calls));
  }

  static List<Case> validate() {
    List<Case> cases = new ArrayList<>();
    cases.add(ok("accepts a pod without forbidden labels", POD, FORBID, "{\"accepted\":true}"));
    cases.add(
        ok(
            "accepts a bare AdmissionRequest with empty settings",
            POD_BARE,
            "{}",
            "{\"accepted\":true}"));
    cases.add(
        ok(
            "rejects a forbidden label (message, no code)",
            POD_FORBIDDEN,
            FORBID,
            "{\"accepted\":false,\"message\":\"label forbidden is forbidden\"}"));
    cases.add(
        ok(
            "rejects with rejectCode",
            POD_FORBIDDEN,
            "{\"forbiddenLabels\":[\"forbidden\"],\"rejectCode\":403}",
            "{\"accepted\":false,\"message\":\"label forbidden is forbidden\",\"code\":403}"));
    cases.add(
        ok(
            "mutates: adds labels, keeps every other field verbatim",
            POD,
            MUTATE,
            "{\"accepted\":true,\"mutated_object\":"
                + Json.writeString(
                    withLabels(POD.get("object"), "{\"app\":\"web\",\"owner\":\"k8s-wasm\"}"))
                + "}"));
    cases.add(
        ok(
            "mutates: overwrites an existing label in place",
            POD,
            "{\"addLabels\":{\"owner\":\"k8s-wasm\",\"app\":\"api\"}}",
            "{\"accepted\":true,\"mutated_object\":"
                + Json.writeString(
                    withLabels(POD.get("object"), "{\"app\":\"api\",\"owner\":\"k8s-wasm\"}"))
                + "}"));
    ObjectNode noLabels = POD.deepCopy();
    ((ObjectNode) noLabels.get("object"))
        .set("metadata", TestPolicies.object("{\"name\":\"web\"}"));
    ObjectNode created = noLabels.get("object").deepCopy();
    created.set(
        "metadata", TestPolicies.object("{\"name\":\"web\",\"labels\":{\"owner\":\"k8s-wasm\"}}"));
    cases.add(
        ok(
            "mutates: creates metadata.labels when missing",
            noLabels,
            MUTATE,
            "{\"accepted\":true,\"mutated_object\":" + Json.writeString(created) + "}"));
    cases.add(
        ok(
            "mutates a DELETE (object null): mutated_object built from scratch",
            POD_DELETE,
            MUTATE,
            "{\"accepted\":true,\"mutated_object\":{\"metadata\":{\"labels\":{\"owner\":\"k8s-wasm\"}}}}"));
    cases.add(
        ok(
            "a forbidden label wins over mutation",
            POD_FORBIDDEN,
            "{\"forbiddenLabels\":[\"forbidden\"],\"addLabels\":{\"owner\":\"k8s-wasm\"}}",
            "{\"accepted\":false,\"message\":\"label forbidden is forbidden\"}"));
    cases.add(
        ok(
            "returns warnings and audit annotations",
            POD,
            "{\"warnings\":[\"w1\",\"w2\"],\"annotate\":{\"example.com/audit\":\"yes\"}}",
            "{\"accepted\":true,\"audit_annotations\":{\"example.com/audit\":\"yes\"},\"warnings\":[\"w1\",\"w2\"]}"));
    cases.add(
        new Case(
            "failWith -> guest error with that text",
            "validate",
            validatePayload(
                POD, "{\"failWith\":\"boom: requested failure\",\"addLabels\":{\"owner\":\"x\"}}"),
            null,
            "boom: requested failure",
            List.of()));
    cases.add(
        ok(
            "dnsLookup success -> warning dns:<host>=<ip>, after the settings warnings",
            POD,
            "{\"dnsLookup\":\"example.com\",\"warnings\":[\"first\"]}",
            "{\"accepted\":true,\"warnings\":[\"first\",\"dns:example.com=93.184.215.14\"]}",
            "DNSLookupHost"));
    cases.add(
        ok(
            "dnsLookup host error -> warning dns-error:<text>",
            POD,
            "{\"dnsLookup\":\"nx.invalid\"}",
            "{\"accepted\":true,\"warnings\":[\"dns-error:"
                + F
                + "lookup nx.invalid: no such host\"]}",
            "DNSLookupHost"));
    cases.add(
        ok(
            "canI allowed",
            POD,
            "{\"canI\":" + CAN_I_ALICE + "}",
            "{\"accepted\":true,\"warnings\":[\"can-i:allowed\"]}",
            "KubernetesCanI"));
    cases.add(
        ok(
            "canI denied",
            POD,
            "{\"canI\":" + CAN_I_ALICE.replace("alice", "bob") + "}",
            "{\"accepted\":true,\"warnings\":[\"can-i:denied\"]}",
            "KubernetesCanI"));
    cases.add(
        ok(
            "canI host error -> warning can-i-error:<text>",
            POD,
            "{\"canI\":" + CAN_I_ALICE.replace("alice", "carol") + "}",
            "{\"accepted\":true,\"warnings\":[\"can-i-error:"
                + F
                + "subjectaccessreviews.authorization.k8s.io is forbidden\"]}",
            "KubernetesCanI"));
    cases.add(
        ok(
            "contextResource success -> warning context:<name>",
            POD,
            "{\"contextResource\":" + CONTEXT_DEFAULT + "}",
            "{\"accepted\":true,\"warnings\":[\"context:default\"]}",
            "KubernetesGetResource"));
    cases.add(
        ok(
            "contextResource host error -> rejection \"context error: <text>\"",
            POD,
            "{\"contextResource\":{\"api_version\":\"v1\",\"kind\":\"Namespace\",\"name\":\"missing\",\"namespace\":\"x\"},"
                + "\"addLabels\":{\"owner\":\"k8s-wasm\"}}",
            "{\"accepted\":false,\"message\":\"context error: "
                + F
                + "namespaces \\\"missing\\\" not found\"}",
            "KubernetesGetResource"));
    cases.add(
        ok(
            "everything at once: order of host calls and warnings",
            POD,
            "{\"warnings\":[\"s\"],\"dnsLookup\":\"example.com\",\"canI\":"
                + CAN_I_ALICE
                + ",\"contextResource\":"
                + CONTEXT_DEFAULT
                + ",\"annotate\":{\"a\":\"b\"},\"addLabels\":{\"owner\":\"k8s-wasm\"}}",
            "{\"accepted\":true,\"mutated_object\":"
                + Json.writeString(
                    withLabels(POD.get("object"), "{\"app\":\"web\",\"owner\":\"k8s-wasm\"}"))
                + ",\"audit_annotations\":{\"a\":\"b\"},\"warnings\":[\"s\",\"dns:example.com=93.184.215.14\",\"can-i:allowed\",\"context:default\"]}",
            "DNSLookupHost",
            "KubernetesCanI",
            "KubernetesGetResource"));
    return cases;
  }

  private static Case settings(String name, String payload, String answer) {
    return new Case(name, "validate_settings", payload, answer, null, List.of());
  }

  static List<Case> settings() {
    String valid = "{\"valid\":true}";
    List<Case> cases = new ArrayList<>();
    cases.add(settings("{}", "{}", valid));
    cases.add(settings("null", "null", valid));
    cases.add(settings("settings-forbid.json", FORBID, valid));
    cases.add(settings("settings-mutate.json", MUTATE, valid));
    cases.add(
        settings(
            "every setting",
            "{\"forbiddenLabels\":[\"a\"],\"addLabels\":{\"b\":\"c\"},\"dnsLookup\":\"example.com\",\"canI\":"
                + CAN_I_ALICE
                + ",\"contextResource\":"
                + CONTEXT_DEFAULT
                + ",\"failWith\":\"x\",\"warnings\":[\"w\"],\"annotate\":{\"d\":\"e\"},\"rejectCode\":418}",
            valid));
    cases.add(
        settings(
            "forbiddenLabels a string",
            "{\"forbiddenLabels\":\"forbidden\"}",
            "{\"valid\":false,\"message\":\"forbiddenLabels must be a list of strings\"}"));
    cases.add(
        settings(
            "forbiddenLabels with a number",
            "{\"forbiddenLabels\":[\"a\",1]}",
            "{\"valid\":false,\"message\":\"forbiddenLabels must be a list of strings\"}"));
    cases.add(
        settings(
            "addLabels with a number value",
            "{\"addLabels\":{\"owner\":1}}",
            "{\"valid\":false,\"message\":\"addLabels must be an object mapping label names to string values\"}"));
    cases.add(
        settings(
            "addLabels a list",
            "{\"addLabels\":[\"owner\"]}",
            "{\"valid\":false,\"message\":\"addLabels must be an object mapping label names to string values\"}"));
    cases.add(
        settings(
            "rejectCode a string",
            "{\"rejectCode\":\"403\"}",
            "{\"valid\":false,\"message\":\"rejectCode must be an integer\"}"));
    cases.add(
        settings(
            "canI without verb",
            "{\"canI\":{\"user\":\"alice\",\"resource\":\"pods\"}}",
            "{\"valid\":false,\"message\":\"canI must be an object with string members user, verb, resource and optionally namespace\"}"));
    cases.add(
        settings(
            "invalid JSON",
            "{\"forbiddenLabels\": [",
            "{\"valid\":false,\"message\":\"settings are not a JSON object: invalid JSON at byte 21: unexpected end of input\"}"));
    return cases;
  }

  static List<Case> all() {
    List<Case> all = new ArrayList<>(validate());
    all.addAll(settings());
    return all;
  }
}
