package dev.k8swasm.wasi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.admission.AdmissionChain;
import dev.k8swasm.admission.AdmissionHook;
import dev.k8swasm.admission.AdmissionRequest;
import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.admission.GroupVersionResource;
import dev.k8swasm.admission.LabelSelector;
import dev.k8swasm.admission.ModuleAdmissionController;
import dev.k8swasm.admission.rules.RuleWithOperations;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.PolicyModule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The rule and selector tables of the spec's conformance corpus, with a real module on every
 * engine: the validator denies every request it sees, so a request is denied exactly when the
 * module was called, i.e. when the rule (or selector) matches.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpecTablesTest {
  static final Path VALIDATOR =
      Path.of("..", "examples", "modules", "magic_validator.wasm").toAbsolutePath().normalize();

  private final List<PolicyModule> modules = new ArrayList<>();

  @AfterAll
  void close() {
    modules.forEach(PolicyModule::close);
  }

  static List<JsonNode> rows(String table) throws IOException {
    try (InputStream in =
        SpecTablesTest.class.getClassLoader().getResourceAsStream("dev/k8swasm/spec/" + table)) {
      assertThat(in).as(table).isNotNull();
      return StreamSupport.stream(
              Json.readTree(in.readAllBytes()).path("rows").spliterator(), false)
          .toList();
    }
  }

  PolicyModule validator(Engine engine) {
    PolicyModule m =
        ModuleRuntimes.load(
            ModuleSpec.builder("table-validator").path(VALIDATOR).engine(engine).build());
    modules.add(m);
    return m;
  }

  /** A ConfigMap the validator rejects, with the given labels. */
  static ObjectNode rejectedConfigMap(Map<String, String> labels) {
    ObjectNode cm = JsonNodeFactory.instance.objectNode();
    cm.put("apiVersion", "v1").put("kind", "ConfigMap");
    ObjectNode meta = cm.putObject("metadata");
    meta.put("name", "cm").put("namespace", "shop");
    ObjectNode l = meta.putObject("labels");
    labels.forEach(l::put);
    cm.putObject("data").put("not-allowed-value", "x");
    return cm;
  }

  static boolean denied(AdmissionChain chain, AdmissionRequest request) {
    AdmissionResponse response = chain.admit(AdmissionReview.of(request)).response();
    if (!response.allowedOrFalse()) {
      assertThat(response.status().message()).contains("not-allowed-value");
    }
    return !response.allowedOrFalse();
  }

  static Map<String, String> labels(JsonNode node) {
    Map<String, String> labels = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  @TestFactory
  Stream<DynamicNode> tablesOnEveryEngine() throws IOException {
    List<JsonNode> rules = rows("rule-matching.yaml");
    List<JsonNode> selectors = rows("selector-matching.yaml");
    List<DynamicNode> engines = new ArrayList<>();
    for (Engine engine : Engine.values()) {
      PolicyModule module = validator(engine);
      List<DynamicNode> tests = new ArrayList<>();
      for (JsonNode row : rules) {
        tests.add(
            DynamicTest.dynamicTest(
                "rule: " + row.path("why").asText(), () -> ruleRow(module, row)));
      }
      for (JsonNode row : selectors) {
        tests.add(
            DynamicTest.dynamicTest(
                "objectSelector: " + row.path("why").asText(), () -> objectRow(module, row)));
        tests.add(
            DynamicTest.dynamicTest(
                "namespaceSelector: " + row.path("why").asText(), () -> namespaceRow(module, row)));
      }
      engines.add(DynamicContainer.dynamicContainer(engine.name().toLowerCase(), tests));
    }
    return engines.stream();
  }

  static AdmissionHook.Builder hook(PolicyModule module) {
    return AdmissionHook.builder("table-validator", ModuleAdmissionController.validating(module));
  }

  static void ruleRow(PolicyModule module, JsonNode row) {
    JsonNode r = row.get("request");
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(
                hook(module).rules(Json.convert(row.get("rule"), RuleWithOperations.class)).build())
            .build();
    AdmissionRequest request =
        AdmissionRequest.builder()
            .uid("rule-table")
            .operation(r.path("operation").asText())
            .resource(
                GroupVersionResource.of(
                    r.path("group").asText(),
                    r.path("version").asText(),
                    r.path("resource").asText()))
            .subResource(r.path("subResource").asText())
            .namespace(r.path("namespace").asText())
            .object(rejectedConfigMap(Map.of()))
            .build();
    assertThat(denied(chain, request)).isEqualTo(row.path("matches").asBoolean());
  }

  static AdmissionRequest configMapCreate(Map<String, String> labels) {
    return AdmissionRequest.builder()
        .uid("selector-table")
        .operation("CREATE")
        .resource(GroupVersionResource.of("", "v1", "configmaps"))
        .namespace("shop")
        .object(rejectedConfigMap(labels))
        .build();
  }

  static void objectRow(PolicyModule module, JsonNode row) {
    LabelSelector selector = Json.convert(row.get("selector"), LabelSelector.class);
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(hook(module).rules(RuleWithOperations.ALL).objectSelector(selector).build())
            .build();
    assertThat(denied(chain, configMapCreate(labels(row.get("labels")))))
        .isEqualTo(row.path("matches").asBoolean());
  }

  static void namespaceRow(PolicyModule module, JsonNode row) {
    LabelSelector selector = Json.convert(row.get("selector"), LabelSelector.class);
    Map<String, String> namespaceLabels = labels(row.get("labels"));
    AdmissionChain chain =
        AdmissionChain.builder()
            .add(hook(module).rules(RuleWithOperations.ALL).namespaceSelector(selector).build())
            .namespaceLabels(
                ns -> ns.equals("shop") ? Optional.of(namespaceLabels) : Optional.empty())
            .build();
    assertThat(denied(chain, configMapCreate(Map.of()))).isEqualTo(row.path("matches").asBoolean());
  }
}
