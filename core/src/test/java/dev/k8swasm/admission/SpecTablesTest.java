package dev.k8swasm.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.admission.rules.RuleWithOperations;
import dev.k8swasm.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The rule and selector tables shipped in the spec's conformance corpus, against core. */
class SpecTablesTest {

  static List<JsonNode> rows(String table) throws IOException {
    try (InputStream in =
        SpecTablesTest.class.getClassLoader().getResourceAsStream("dev/k8swasm/spec/" + table)) {
      assertThat(in).as(table).isNotNull();
      JsonNode root = Json.readTree(in.readAllBytes());
      return StreamSupport.stream(root.path("rows").spliterator(), false).toList();
    }
  }

  /** The request a rule-table row describes. */
  static AdmissionRequest request(JsonNode r) {
    return AdmissionRequest.builder()
        .uid("table")
        .operation(r.path("operation").asText())
        .resource(
            GroupVersionResource.of(
                r.path("group").asText(), r.path("version").asText(), r.path("resource").asText()))
        .subResource(r.path("subResource").asText())
        .namespace(r.path("namespace").asText())
        .build();
  }

  static Map<String, String> labels(JsonNode node) {
    Map<String, String> labels = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  @TestFactory
  Stream<DynamicTest> ruleMatching() throws IOException {
    List<JsonNode> rows = rows("rule-matching.yaml");
    assertThat(rows).hasSizeGreaterThan(40);
    return rows.stream()
        .map(
            row ->
                DynamicTest.dynamicTest(
                    row.path("why").asText(),
                    () -> {
                      RuleWithOperations rule =
                          Json.convert(row.get("rule"), RuleWithOperations.class);
                      assertThat(RuleMatcher.matches(rule, request(row.get("request"))))
                          .isEqualTo(row.path("matches").asBoolean());
                    }));
  }

  @TestFactory
  Stream<DynamicTest> selectorMatching() throws IOException {
    List<JsonNode> rows = rows("selector-matching.yaml");
    assertThat(rows).hasSizeGreaterThan(10);
    return rows.stream()
        .map(
            row ->
                DynamicTest.dynamicTest(
                    row.path("why").asText(),
                    () -> {
                      LabelSelector selector =
                          Json.convert(row.get("selector"), LabelSelector.class);
                      selector.validate();
                      assertThat(selector.matches(labels(row.get("labels"))))
                          .isEqualTo(row.path("matches").asBoolean());
                    }));
  }
}
