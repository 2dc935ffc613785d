package dev.k8swasm.kubewarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.admission.AdmissionRequest;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.ModuleType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Kubewarden test policies and requests of examples/, and helpers to load them. */
final class TestPolicies {
  static final Path ROOT = findRoot();
  static final Path POLICIES = ROOT.resolve("examples/modules/kubewarden");
  static final Path REQUESTS = ROOT.resolve("examples/requests/kubewarden");

  static final Path WAPC_START = POLICIES.resolve("policy_wapc_start.wasm");
  static final Path WAPC_INIT = POLICIES.resolve("policy_wapc_init.wasm");
  static final Path WAPC_NOMETA = POLICIES.resolve("policy_wapc_nometa.wasm");
  static final Path WASI = POLICIES.resolve("policy_wasi.wasm");

  private TestPolicies() {}

  private static Path findRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("examples/modules/kubewarden"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find examples/modules/kubewarden");
    }
    return dir;
  }

  static Path module(String name) {
    return Path.of("src/test/resources/modules").resolve(name).toAbsolutePath();
  }

  static JsonNode requestJson(String requestFile) {
    try {
      return Json.reader().readTree(Files.readAllBytes(REQUESTS.resolve(requestFile)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode parse(String text) {
    return Json.readTree(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The inner AdmissionRequest of a request file (AdmissionReview or bare). */
  static AdmissionRequest request(String requestFile) {
    JsonNode doc = requestJson(requestFile);
    JsonNode inner = doc.has("request") ? doc.get("request") : doc;
    return Json.convert(inner, AdmissionRequest.class);
  }

  static AdmissionReview review(String requestFile) {
    return AdmissionReview.of(request(requestFile));
  }

  static ModuleSpec.Builder spec(Path module) {
    String file = module.getFileName().toString();
    return ModuleSpec.builder(file.substring(0, file.length() - 5))
        .path(module)
        .type(ModuleType.KUBEWARDEN);
  }

  static ModuleSpec.Builder spec(Path module, String settingsJson) {
    return spec(module).settings(Json.readTree(settingsJson.getBytes()));
  }

  static ObjectNode object(String json) {
    return (ObjectNode) Json.readTree(json.getBytes());
  }
}
