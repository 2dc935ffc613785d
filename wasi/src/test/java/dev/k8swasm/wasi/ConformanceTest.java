package dev.k8swasm.wasi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.admission.AdmissionChain;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.authn.AuthenticatorChain;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.authz.AuthorizerChain;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.config.ChainOptions;
import dev.k8swasm.config.Chains;
import dev.k8swasm.config.ConfigLoader;
import dev.k8swasm.config.PolicyConfig;
import dev.k8swasm.config.Quantities;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleSpec;
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
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the conformance corpus of the {@code spec} module against the WASI runtime, on every engine
 * and with every instance strategy, and checks that both strategies give identical results.
 */
class ConformanceTest {
  static final String CORPUS = "dev/k8swasm/spec/conformance/";
  static final Path MODULES = Path.of("..", "examples", "modules").toAbsolutePath().normalize();

  @TestFactory
  Stream<DynamicNode> corpus() throws IOException {
    List<String> files = index();
    assertThat(files).as("conformance cases").isNotEmpty();
    List<DynamicNode> engines = new ArrayList<>();
    for (Engine engine : Engine.values()) {
      List<DynamicNode> strategies = new ArrayList<>();
      for (InstanceStrategy strategy : InstanceStrategy.values()) {
        List<DynamicNode> cases = new ArrayList<>();
        for (String file : files) {
          JsonNode c = Json.readTree(resource(CORPUS + file));
          cases.add(
              DynamicTest.dynamicTest(c.path("name").asText(file), () -> run(c, engine, strategy)));
        }
        strategies.add(DynamicContainer.dynamicContainer(strategy.name().toLowerCase(), cases));
      }
      List<DynamicNode> agreement = new ArrayList<>();
      for (String file : files) {
        JsonNode c = Json.readTree(resource(CORPUS + file));
        agreement.add(
            DynamicTest.dynamicTest(
                c.path("name").asText(file),
                () ->
                    assertThat(outcome(c, engine, InstanceStrategy.SNAPSHOT))
                        .as("snapshot and fresh instances give the same result")
                        .isEqualTo(outcome(c, engine, InstanceStrategy.FRESH))));
      }
      strategies.add(DynamicContainer.dynamicContainer("snapshot equals fresh", agreement));
      engines.add(DynamicContainer.dynamicContainer(engine.name().toLowerCase(), strategies));
    }
    return engines.stream();
  }

  /**
   * What a case produces with {@code strategy}: the chain's result, and the module error's reason
   * and message for cases that expect one.
   */
  static List<String> outcome(JsonNode c, Engine engine, InstanceStrategy strategy)
      throws Exception {
    String kind = c.path("kind").asText();
    Limits limits = limits(c);
    List<String> outcome = new ArrayList<>();
    if (c.path("expect").has("moduleError")) {
      try (PolicyModule loaded =
          ModuleRuntimes.load(moduleSpec(c, engine, strategy, limits).build())) {
        loaded.evaluate(reviewKind(kind), Json.write(c.get("request")));
        outcome.add("no error");
      } catch (ModuleException e) {
        outcome.add(e.reason() + ": " + e.getMessage());
      }
    }
    if (c.has("config") || c.has("module") && !c.path("expect").has("moduleError")) {
      ChainOptions options =
          ChainOptions.builder()
              .specCustomizer(b -> b.engine(engine).strategy(strategy).limits(limits))
              .build();
      outcome.add(String.valueOf(result(c, kind, config(c, kind), options)));
    }
    return outcome;
  }

  static List<String> index() throws IOException {
    List<String> files = new ArrayList<>();
    for (String line :
        new String(resource(CORPUS + "index.txt"), StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        files.add(line.trim());
      }
    }
    return files;
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = ConformanceTest.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as("resource " + name).isNotNull();
      return in.readAllBytes();
    }
  }

  /** Runs one case on {@code engine} with {@code strategy}. */
  static void run(JsonNode c, Engine engine, InstanceStrategy strategy) throws Exception {
    String kind = c.path("kind").asText();
    JsonNode expect = c.path("expect");
    Limits limits = limits(c);
    ChainOptions options =
        ChainOptions.builder()
            .specCustomizer(b -> b.engine(engine).strategy(strategy).limits(limits))
            .build();
    if (expect.has("moduleError")) {
      checkModuleError(c, kind, engine, strategy, limits, expect.get("moduleError"));
    }
    if (!expect.has("result")
        && !expect.has("absent")
        && !expect.has("falsy")
        && !expect.has("patchOps")
        && !expect.has("messageContains")
        && !expect.has("warningContains")) {
      return;
    }
    JsonNode result = result(c, kind, config(c, kind), options);
    String context = "case " + c.path("name").asText() + " result " + result;
    if (expect.has("result")) {
      List<String> mismatches = new ArrayList<>();
      subset(expect.get("result"), result, "", mismatches);
      assertThat(mismatches).as(context).isEmpty();
    }
    for (JsonNode path : expect.path("absent")) {
      JsonNode value = at(result, path.asText());
      assertThat(value.isMissingNode() || value.isNull())
          .as(context + ": " + path.asText() + " must be absent")
          .isTrue();
    }
    for (JsonNode path : expect.path("falsy")) {
      JsonNode value = at(result, path.asText());
      assertThat(value.isMissingNode() || value.isNull() || value.equals(BooleanNode.FALSE))
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
    if (expect.has("messageContains")) {
      String message =
          switch (kind) {
            case "TokenReview" -> result.path("status").path("error").asText();
            case "SubjectAccessReview" ->
                result.path("status").path("evaluationError").asText()
                    + " "
                    + result.path("status").path("reason").asText();
            default -> result.path("response").path("status").path("message").asText();
          };
      for (String text : strings(expect.get("messageContains"))) {
        assertThat(message).as(context).contains(text);
      }
    }
  }

  /** Evaluates the case's request through a chain built from {@code config}. */
  static JsonNode result(JsonNode c, String kind, PolicyConfig config, ChainOptions options)
      throws Exception {
    JsonNode request = c.get("request");
    return switch (kind) {
      case "TokenReview" -> {
        try (AuthenticatorChain chain = Chains.authenticator(config, options)) {
          TokenReview review = Json.convert(request, TokenReview.class);
          yield Json.toTree(chain.authenticate(review).respondTo(review));
        }
      }
      case "SubjectAccessReview" -> {
        try (AuthorizerChain chain = Chains.authorizer(config, options)) {
          SubjectAccessReview review = Json.convert(request, SubjectAccessReview.class);
          yield Json.toTree(chain.authorize(review).respondTo(review));
        }
      }
      case "AdmissionReview" -> {
        try (AdmissionChain chain = Chains.admission(config, options)) {
          yield Json.toTree(chain.admit(Json.convert(request, AdmissionReview.class)));
        }
      }
      default -> throw new AssertionError("unknown kind " + kind);
    };
  }

  static ReviewKind reviewKind(String kind) {
    return switch (kind) {
      case "TokenReview" -> ReviewKind.AUTHENTICATION;
      case "SubjectAccessReview" -> ReviewKind.AUTHORIZATION;
      default -> ReviewKind.ADMISSION;
    };
  }

  static ModuleSpec.Builder moduleSpec(
      JsonNode c, Engine engine, InstanceStrategy strategy, Limits limits) {
    String module = c.path("module").asText(null);
    assertThat(module).as("moduleError needs a single 'module'").isNotNull();
    ModuleSpec.Builder spec =
        ModuleSpec.builder(Path.of(module).getFileName().toString())
            .path(MODULES.resolve(module + ".wasm"))
            .engine(engine)
            .strategy(strategy)
            .limits(limits);
    if (c.has("settings")) {
      spec.settings(c.get("settings"));
    }
    return spec;
  }

  static void checkModuleError(
      JsonNode c,
      String kind,
      Engine engine,
      InstanceStrategy strategy,
      Limits limits,
      JsonNode expected)
      throws Exception {
    ModuleSpec.Builder spec = moduleSpec(c, engine, strategy, limits);
    ReviewKind reviewKind = reviewKind(kind);
    Set<String> reasons = new HashSet<>();
    if (expected.has("reason")) {
      reasons.add(expected.get("reason").asText());
    }
    expected.path("reasonOneOf").forEach(r -> reasons.add(r.asText()));
    for (String r : reasons) {
      FailureReason.valueOf(r); // the corpus may only name known reasons
    }
    try (PolicyModule loaded = ModuleRuntimes.load(spec.build())) {
      byte[] request = Json.write(c.get("request"));
      assertThatThrownBy(() -> loaded.evaluate(reviewKind, request))
          .isInstanceOf(ModuleException.class)
          .satisfies(
              e ->
                  assertThat(((ModuleException) e).reason().name())
                      .as(e.getMessage())
                      .isIn(reasons));
    }
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
    if (l.has("maxRequest")) {
      b.maxRequestBytes(Quantities.parseBytes(l.get("maxRequest").asText()));
    }
    if (l.has("maxOutput")) {
      b.maxOutputBytes(Quantities.parseBytes(l.get("maxOutput").asText()));
    }
    return b.build();
  }

  static PolicyConfig config(JsonNode c, String kind) {
    if (c.has("config")) {
      return ConfigLoader.parse(
          c.get("config"), MODULES, "conformance case " + c.path("name").asText());
    }
    String module = c.path("module").asText();
    ObjectNode entry = JsonNodeFactory.instance.objectNode();
    entry.put("name", Path.of(module).getFileName().toString());
    entry.put("module", module + ".wasm");
    if (c.has("settings")) {
      entry.set("settings", c.get("settings"));
    }
    if (kind.equals("AdmissionReview")) {
      entry.put("mutating", c.path("mutating").asBoolean(false));
      entry.set("rules", Json.tree(List.of(dev.k8swasm.admission.rules.RuleWithOperations.ALL)));
    }
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.putArray("modules").add(entry);
    return ConfigLoader.parse(root, MODULES, "conformance case " + c.path("name").asText());
  }

  static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    } else {
      out.add(node.asText());
    }
    assertThat(out).as("expected texts").allSatisfy(t -> assertThat(t).isNotEmpty());
    return out;
  }

  static JsonNode at(JsonNode root, String dotted) {
    JsonNode node = root;
    for (String part : dotted.split("\\.")) {
      node = node.path(part);
    }
    return node;
  }

  static Set<JsonNode> asSet(ArrayNode ops) {
    Set<JsonNode> set = new HashSet<>();
    ops.forEach(set::add);
    return set;
  }

  /** Collects where {@code actual} does not contain {@code expected}. */
  static void subset(JsonNode expected, JsonNode actual, String path, List<String> out) {
    if (expected.isObject()) {
      if (!actual.isObject()) {
        out.add(path + ": expected an object, got " + actual);
        return;
      }
      expected
          .fields()
          .forEachRemaining(
              e -> {
                JsonNode a = actual.get(e.getKey());
                if (a == null) {
                  out.add(path + "." + e.getKey() + ": missing");
                } else {
                  subset(e.getValue(), a, path + "." + e.getKey(), out);
                }
              });
    } else if (expected.isArray()) {
      if (!actual.isArray() || actual.size() != expected.size()) {
        out.add(path + ": expected " + expected + ", got " + actual);
        return;
      }
      for (int i = 0; i < expected.size(); i++) {
        subset(expected.get(i), actual.get(i), path + "[" + i + "]", out);
      }
    } else if (expected.isNumber() && actual.isNumber()) {
      if (expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
        out.add(path + ": expected " + expected + ", got " + actual);
      }
    } else if (!expected.equals(actual)) {
      out.add(path + ": expected " + expected + ", got " + actual);
    }
  }
}
