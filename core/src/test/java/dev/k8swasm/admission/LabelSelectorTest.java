package dev.k8swasm.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.authz.SelectorRequirement;
import dev.k8swasm.json.Json;
import dev.k8swasm.testing.FakeModule;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {
  static final Map<String, String> LABELS = Map.of("app", "web", "tier", "front", "empty", "");

  static LabelSelector expr(String key, String op, String... values) {
    return new LabelSelector(
        null,
        List.of(
            new SelectorRequirement(key, op, values.length == 0 ? null : List.of(values), null)),
        null);
  }

  @Test
  void emptySelectorsMatchEverything() {
    assertThat(LabelSelector.EVERYTHING.matches(LABELS)).isTrue();
    assertThat(LabelSelector.EVERYTHING.matches(null)).isTrue();
    assertThat(new LabelSelector(Map.of(), List.of(), null).matches(Map.of())).isTrue();
  }

  @Test
  void matchLabelsMustAllBePresentWithTheirValues() {
    assertThat(new LabelSelector(Map.of("app", "web"), null, null).matches(LABELS)).isTrue();
    assertThat(new LabelSelector(Map.of("app", "web", "tier", "front"), null, null).matches(LABELS))
        .isTrue();
    assertThat(new LabelSelector(Map.of("app", "web", "tier", "back"), null, null).matches(LABELS))
        .isFalse();
    assertThat(new LabelSelector(Map.of("missing", "x"), null, null).matches(LABELS)).isFalse();
    assertThat(new LabelSelector(Map.of("empty", ""), null, null).matches(LABELS)).isTrue();
    assertThat(new LabelSelector(Map.of("missing", ""), null, null).matches(LABELS)).isFalse();
    assertThat(new LabelSelector(Map.of("app", "web"), null, null).matches(null)).isFalse();
  }

  @Test
  void in() {
    assertThat(expr("app", "In", "web", "api").matches(LABELS)).isTrue();
    assertThat(expr("app", "In", "api").matches(LABELS)).isFalse();
    assertThat(expr("missing", "In", "web").matches(LABELS)).isFalse();
    assertThat(expr("empty", "In", "").matches(LABELS)).isTrue();
  }

  @Test
  void notIn() {
    assertThat(expr("app", "NotIn", "api").matches(LABELS)).isTrue();
    assertThat(expr("app", "NotIn", "web", "api").matches(LABELS)).isFalse();
    assertThat(expr("missing", "NotIn", "web").matches(LABELS)).isTrue();
    assertThat(expr("missing", "NotIn", "web").matches(null)).isTrue();
  }

  @Test
  void existsAndDoesNotExist() {
    assertThat(expr("app", "Exists").matches(LABELS)).isTrue();
    assertThat(expr("empty", "Exists").matches(LABELS)).isTrue();
    assertThat(expr("missing", "Exists").matches(LABELS)).isFalse();
    assertThat(expr("missing", "DoesNotExist").matches(LABELS)).isTrue();
    assertThat(expr("app", "DoesNotExist").matches(LABELS)).isFalse();
    assertThat(expr("missing", "DoesNotExist").matches(null)).isTrue();
  }

  @Test
  void everyRequirementMustHold() {
    LabelSelector selector =
        new LabelSelector(
            Map.of("app", "web"),
            List.of(
                new SelectorRequirement("tier", "In", List.of("front", "back"), null),
                new SelectorRequirement("legacy", "DoesNotExist", null, null)),
            null);

    assertThat(selector.matches(LABELS)).isTrue();
    assertThat(selector.matches(Map.of("app", "web", "tier", "front", "legacy", "1"))).isFalse();
    assertThat(selector.matches(Map.of("app", "api", "tier", "front"))).isFalse();
    assertThat(selector.matches(Map.of("app", "web", "tier", "db"))).isFalse();
  }

  @Test
  void anUnknownOperatorMatchesNothing() {
    assertThat(expr("app", "Gt", "1").matches(LABELS)).isFalse();
    assertThat(expr("app", null).matches(LABELS)).isFalse();
  }

  @Test
  void validSelectorsValidate() {
    assertThatCode(
            () -> {
              LabelSelector.EVERYTHING.validate();
              expr("a", "In", "x").validate();
              expr("a", "NotIn", "x", "y").validate();
              expr("a", "Exists").validate();
              expr("a", "DoesNotExist").validate();
              new LabelSelector(
                      null, List.of(new SelectorRequirement("a", "Exists", List.of(), null)), null)
                  .validate();
              new LabelSelector(Map.of("a", "b"), null, null).validate();
            })
        .doesNotThrowAnyException();
  }

  @Test
  void validateRejectsMalformedRequirements() {
    assertThatThrownBy(() -> expr("", "Exists").validate()).hasMessageContaining("key is required");
    assertThatThrownBy(() -> expr(null, "Exists").validate())
        .hasMessageContaining("key is required");
    assertThatThrownBy(() -> expr("a", "In").validate())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("matchExpressions[a]")
        .hasMessageContaining("In needs values");
    assertThatThrownBy(
            () ->
                new LabelSelector(
                        null, List.of(new SelectorRequirement("a", "NotIn", List.of(), null)), null)
                    .validate())
        .hasMessageContaining("NotIn needs values");
    assertThatThrownBy(() -> expr("a", "Exists", "x").validate())
        .hasMessageContaining("Exists takes no values");
    assertThatThrownBy(() -> expr("a", "DoesNotExist", "x").validate())
        .hasMessageContaining("DoesNotExist takes no values");
    assertThatThrownBy(() -> expr("a", "in", "x").validate())
        .hasMessageContaining("unknown operator 'in'")
        .hasMessageContaining("In, NotIn, Exists or DoesNotExist");
    assertThatThrownBy(() -> expr("a", null).validate())
        .hasMessageContaining("unknown operator ''");
  }

  @Test
  void readsAndWritesTheKubernetesForm() {
    String json =
        "{\"matchLabels\":{\"a\":\"b\"},\"matchExpressions\":[{\"key\":\"k\",\"operator\":\"In\","
            + "\"values\":[\"v\"]}],\"future\":1}";

    LabelSelector selector = Json.read(json.getBytes(StandardCharsets.UTF_8), LabelSelector.class);

    assertThat(selector.matchLabels()).containsExactly(Map.entry("a", "b"));
    assertThat(selector.matchExpressions())
        .singleElement()
        .satisfies(r -> assertThat(r.values()).containsExactly("v"));
    assertThat(Json.toTree(selector)).isEqualTo(FakeModule.parse(json));
    assertThat(selector.matches(Map.of("a", "b", "k", "v"))).isTrue();
  }
}
