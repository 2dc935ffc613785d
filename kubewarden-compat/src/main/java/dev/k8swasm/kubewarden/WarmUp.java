package dev.k8swasm.kubewarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The calls a waPC policy gets at load, before the snapshot every evaluation starts from is taken:
 * {@code validate_settings} with its settings, then {@code validate} of a synthetic Pod CREATE
 * (made-up names, no data of any user or request) a few times. A TinyGo policy's heap then has
 * grown to its working size and its runtime caches (e.g. encoding/json's type cache) are filled, so
 * that evaluations do not redo that work. Answers are ignored; host calls are refused meanwhile.
 * Why isolation holds: kubewarden-compat/README.md, "Snapshot after a warm-up".
 */
final class WarmUp {
  /** How many times {@code validate} runs: enough for a TinyGo heap to stop growing. */
  static final int VALIDATE_CALLS = 3;

  private WarmUp() {}

  /** One warm-up call. */
  record Call(byte[] operation, byte[] payload) {}

  /** The calls, for a policy configured with {@code settings}. */
  static List<Call> calls(JsonNode settings) {
    byte[] validateSettings = bytes(Transport.VALIDATE_SETTINGS);
    byte[] validate = bytes(Transport.VALIDATE);
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.set("request", syntheticRequest());
    payload.set("settings", settings);
    byte[] validatePayload = Json.write(payload);
    Call[] calls = new Call[1 + VALIDATE_CALLS];
    calls[0] = new Call(validateSettings, Json.write(settings));
    for (int i = 1; i < calls.length; i++) {
      calls[i] = new Call(validate, validatePayload);
    }
    return List.of(calls);
  }

  /** A Pod CREATE AdmissionRequest with made-up content. */
  static ObjectNode syntheticRequest() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode request = f.objectNode();
    request.put("uid", "00000000-0000-0000-0000-000000000000");
    request.set("kind", gvk("", "v1", "Pod"));
    request.set("resource", gvr("", "v1", "pods"));
    request.set("requestKind", gvk("", "v1", "Pod"));
    request.set("requestResource", gvr("", "v1", "pods"));
    request.put("name", "warm-up");
    request.put("namespace", "default");
    request.put("operation", "CREATE");
    ObjectNode user = request.putObject("userInfo");
    user.put("username", "system:k8s-wasm:warm-up");
    user.putArray("groups").add("system:authenticated");
    ObjectNode pod = request.putObject("object");
    pod.put("apiVersion", "v1");
    pod.put("kind", "Pod");
    ObjectNode metadata = pod.putObject("metadata");
    metadata.put("name", "warm-up");
    metadata.put("namespace", "default");
    metadata.putObject("labels").put("app", "warm-up");
    metadata.putObject("annotations").put("k8s-wasm.dev/warm-up", "true");
    ObjectNode container = pod.putObject("spec").putArray("containers").addObject();
    container.put("name", "warm-up");
    container.put("image", "registry.invalid/warm-up:1");
    container.putArray("ports").addObject().put("containerPort", 8080).put("protocol", "TCP");
    container.putObject("resources");
    request.put("dryRun", true);
    ObjectNode options = request.putObject("options");
    options.put("apiVersion", "meta.k8s.io/v1");
    options.put("kind", "CreateOptions");
    return request;
  }

  private static ObjectNode gvk(String group, String version, String kind) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("group", group);
    node.put("version", version);
    node.put("kind", kind);
    return node;
  }

  private static ObjectNode gvr(String group, String version, String resource) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("group", group);
    node.put("version", version);
    node.put("resource", resource);
    return node;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
