package dev.k8swasm.kubewarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.k8swasm.admission.AdmissionChain;
import dev.k8swasm.admission.AdmissionHook;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.admission.FailurePolicy;
import dev.k8swasm.admission.ModuleAdmissionController;
import dev.k8swasm.admission.rules.RuleWithOperations;
import dev.k8swasm.config.ChainOptions;
import dev.k8swasm.config.Chains;
import dev.k8swasm.config.ConfigLoader;
import dev.k8swasm.config.Quantities;
import dev.k8swasm.json.Json;
import dev.k8swasm.kubewarden.capabilities.HostCapabilities;
import dev.k8swasm.kubewarden.capabilities.SessionReplay;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.ModuleType;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the Kubewarden cases of the conformance corpus ({@code index-kubewarden.txt} in the spec
 * module; format in spec/conformance.md) on both engines and both instance strategies (the
 * interpreter with snapshots only).
 */
class KubewardenConformanceTest {
  static final String CORPUS = "dev/k8swasm/spec/conformance/";
  static final Path MODULES = TestPolicies.ROOT.resolve("examples/modules");
  static final Path REQUESTS = TestPolicies.ROOT.resolve("examples/requests");

  @TestFactory
  Stream<DynamicNode> corpus() throws IOException {
    List<String> files = new ArrayList<>();
    for (String line :
        new String(resource(CORPUS + "index-kubewarden.txt"), StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        files.add(line.trim());
      }
    }
    assertThat(files).as("Kubewarden conformance cases").hasSizeGreaterThanOrEqualTo(10);
    List<DynamicNode> containers = new ArrayList<>();
    for (Engine engine : Engine.values()) {
      for (InstanceStrategy strategy : InstanceStrategy.values()) {
        if (engine == Engine.INTERPRETER && strategy == InstanceStrategy.FRESH) {
          continue; // the interpreter on fresh instances adds time, not coverage
        }
        List<DynamicNode> cases = new ArrayList<>();
        for (String file : files) {
          assertThat(file).startsWith("kubewarden-");
          JsonNode c = Json.readTree(resource(CORPUS + file));
          assertThat(c.path("name").asText() + ".yaml").isEqualTo(file);
          cases.add(
              DynamicTest.dynamicTest(c.path("name").asText(), () -> run(c, engine, strategy)));
        }
        containers.add(
            DynamicContainer.dynamicContainer(
                engine.name().toLowerCase() + " " + strategy.name().toLowerCase(), cases));
      }
    }
    return containers.stream();
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in =
        KubewardenConformanceTest.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as("resource " + name).isNotNull();
      return in.readAllBytes();
    }
  }

  static void run(JsonNode c, Engine engine, InstanceStrategy strategy) throws Exception {
    assertThat(c.path("kind").asText()).isEqualTo("AdmissionReview");
    JsonNode expect = c.path("expect");
    UnaryOperator<ModuleSpec.Builder> customizer =
        b -> {
          b.engine(engine).strategy(strategy).limits(limits(c));
          if (c.has("session")) {
            b.extension(
                HostCapabilities.class,
                HostCapabilities.builder()
                    .replay(SessionReplay.fromFile(REQUESTS.resolve(c.get("session").asText())))
                    .build());
          }
          return b;
        };
    if (expect.has("moduleError")) {
      checkModuleError(c, customizer, expect.get("moduleError"));
    }
    JsonNode result;
    AdmissionReview review = Json.convert(c.get("request"), AdmissionReview.class);
    if (c.has("config")) {
      try (AdmissionChain chain =
          Chains.admission(
              ConfigLoader.parse(c.get("config"), MODULES, c.path("name").asText()),
              ChainOptions.builder().specCustomizer(customizer).build())) {
        result = Json.toTree(chain.admit(review));
      }
    } else {
      PolicyModule module = ModuleRuntimes.load(customizer.apply(spec(c)).build());
      boolean mutating =
          c.has("mutating")
              ? c.get("mutating").asBoolean()
              : module.metadata().mutating().orElse(false);
      try (AdmissionChain chain =
          AdmissionChain.builder()
              .add(
                  AdmissionHook.builder(
                          module.name(), ModuleAdmissionController.of(module, mutating, e -> {}))
                      .failurePolicy(FailurePolicy.FAIL)
                      .rules(RuleWithOperations.ALL)
                      .build())
              .build()) {
        result = Json.toTree(chain.admit(review));
      }
    }
    check(c, expect, result);
  }

  static ModuleSpec.Builder spec(JsonNode c) {
    String module = c.path("module").asText();
    ModuleSpec.Builder b =
        ModuleSpec.builder(Path.of(module).getFileName().toString())
            .path(MODULES.resolve(module + ".wasm"))
            .type(c.path("type").asText(ModuleType.WASI.name()));
    if (c.has("settings")) {
      b.settings(c.get("settings"));
    }
    for (Map.Entry<String, JsonNode> e : c.path("options").properties()) {
      b.option(e.getKey(), e.getValue());
    }
    return b;
  }

  static Limits limits(JsonNode c) {
    Limits.Builder b = Limits.builder();
    JsonNode l = c.path("limits");
    if (l.has("timeout")) {
      b.timeout(Quantities.parseDuration(l.get("timeout").asText()));
    }
    if (l.has("maxMemory")) {
      b.maxMemoryBytes(Quantities.parseBytes(l.get("maxMemory").asText()));
    }
    return b.build();
  }

  /** The single module, loaded on its own, must fail (at load or evaluation) for the reason. */
  static void checkModuleError(
      JsonNode c, UnaryOperator<ModuleSpec.Builder> customizer, JsonNode expected) {
    Set<String> reasons = new HashSet<>();
    if (expected.has("reason")) {
      reasons.add(expected.get("reason").asText());
    }
    expected.path("reasonOneOf").forEach(r -> reasons.add(r.asText()));
    reasons.forEach(FailureReason::valueOf);
    byte[] request = Json.write(c.get("request"));
    assertThatThrownBy(
            () -> {
              try (PolicyModule module = ModuleRuntimes.load(customizer.apply(spec(c)).build())) {
                module.evaluate(ReviewKind.ADMISSION, request);
              }
            })
        .isInstanceOfSatisfying(
            ModuleException.class, e -> assertThat(e.reason().name()).isIn(reasons));
  }

  static void check(JsonNode c, JsonNode expect, JsonNode result) throws IOException {
    String context = "case " + c.path("name").asText() + " result " + result;
    List<String> mismatches = new ArrayList<>();
    subset(expect.get("result"), result, "", mismatches);
    assertThat(mismatches).as(context).isEmpty();
    for (JsonNode path : expect.path("absent")) {
      JsonNode value = at(result, path.asText());
      assertThat(value.isMissingNode() || value.isNull())
          .as(context + ": " + path.asText() + " must be absent")
          .isTrue();
    }
    for (JsonNode path : expect.path("falsy")) {
      JsonNode value = at(result, path.asText());
      assertThat(value.isMissingNode() || value.isNull() || value.asText().equals("false"))
          .as(context + ": " + path.asText() + " must be missing, null or false")
          .isTrue();
    }
    for (String text : strings(expect.get("warningContains"))) {
      List<String> warnings = new ArrayList<>();
      result.path("response").path("warnings").forEach(w -> warnings.add(w.asText()));
      assertThat(warnings).as(context).anySatisfy(w -> assertThat(w).contains(text));
    }
    if (expect.has("patchOps")) {
      String patch = result.path("response").path("patch").asText(null);
      assertThat(patch).as(context + ": patch").isNotNull();
      JsonNode ops = Json.reader().readTree(Base64.getDecoder().decode(patch));
      assertThat(asSet((ArrayNode) ops))
          .as(context)
          .isEqualTo(asSet((ArrayNode) expect.get("patchOps")));
      assertThat(result.path("response").path("patchType").asText()).isEqualTo("JSONPatch");
    }
    String message = result.path("response").path("status").path("message").asText();
    for (String text : strings(expect.get("messageContains"))) {
      assertThat(message).as(context).contains(text);
    }
  }

  static List<String> strings(JsonNode node) {
    List<String> list = new ArrayList<>();
    if (node == null) {
      return list;
    }
    if (node.isArray()) {
      node.forEach(n -> list.add(n.asText()));
    } else {
      list.add(node.asText());
    }
    return list;
  }

  static Set<JsonNode> asSet(ArrayNode array) {
    Set<JsonNode> set = new HashSet<>();
    array.forEach(set::add);
    return set;
  }

  static JsonNode at(JsonNode root, String path) {
    JsonNode node = root;
    for (String key : path.split("\\.")) {
      node = node.path(key);
    }
    return node;
  }

  static void subset(JsonNode expected, JsonNode actual, String path, List<String> mismatches) {
    if (expected.isObject()) {
      if (!actual.isObject()) {
        mismatches.add(path + ": expected an object, got " + actual);
        return;
      }
      for (Map.Entry<String, JsonNode> e : expected.properties()) {
        JsonNode a = actual.get(e.getKey());
        if (a == null) {
          mismatches.add(path + "." + e.getKey() + ": missing");
        } else {
          subset(e.getValue(), a, path + "." + e.getKey(), mismatches);
        }
      }
    } else if (expected.isArray()) {
      if (!actual.isArray() || actual.size() != expected.size()) {
        mismatches.add(path + ": expected " + expected + ", got " + actual);
        return;
      }
      for (int i = 0; i < expected.size(); i++) {
        subset(expected.get(i), actual.get(i), path + "[" + i + "]", mismatches);
      }
    } else if (expected.isNumber() && actual.isNumber()) {
      if (expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
        mismatches.add(path + ": expected " + expected + ", got " + actual);
      }
    } else if (!expected.equals(actual)) {
      mismatches.add(path + ": expected " + expected + ", got " + actual);
    }
  }
}
