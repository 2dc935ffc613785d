package dev.k8swasm.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** Label and field selectors as the API server reads them. */
class SelectorsTest {

  @Property
  void eachLabelRequirementMeansWhatKubernetesSays(
      @ForAll @Size(max = 3)
          Map<
                  @AlphaChars @StringLength(min = 1, max = 3) String,
                  @AlphaChars @StringLength(min = 1, max = 3) String>
              labels,
      @ForAll @AlphaChars @StringLength(min = 1, max = 3) String key,
      @ForAll @AlphaChars @StringLength(min = 1, max = 3) String value,
      @ForAll @AlphaChars @StringLength(min = 1, max = 3) String other) {
    String actual = labels.get(key);
    assertThat(LabelQuery.parse(key + "=" + value).matches(labels)).isEqualTo(value.equals(actual));
    assertThat(LabelQuery.parse(key + "==" + value).matches(labels))
        .isEqualTo(value.equals(actual));
    assertThat(LabelQuery.parse(key + "!=" + value).matches(labels))
        .isEqualTo(!value.equals(actual));
    assertThat(LabelQuery.parse(key).matches(labels)).isEqualTo(actual != null);
    assertThat(LabelQuery.parse("!" + key).matches(labels)).isEqualTo(actual == null);
    assertThat(LabelQuery.parse(key + " in (" + value + ", " + other + ")").matches(labels))
        .isEqualTo(actual != null && new HashSet<>(List.of(value, other)).contains(actual));
    assertThat(LabelQuery.parse(key + " notin (" + value + "," + other + ")").matches(labels))
        .isEqualTo(actual == null || !new HashSet<>(List.of(value, other)).contains(actual));
    assertThat(LabelQuery.parse(key + "=" + value + "," + key).matches(labels))
        .isEqualTo(value.equals(actual));
    assertThat(LabelQuery.parse("").matches(labels)).isTrue();
  }

  @Test
  void labelSelectorsWithDomainsAndEmptyValues() {
    assertThat(
            LabelQuery.parse("app.kubernetes.io/name=web")
                .matches(Map.of("app.kubernetes.io/name", "web")))
        .isTrue();
    assertThat(LabelQuery.parse("a=").matches(Map.of("a", ""))).isTrue();
    assertThat(LabelQuery.parse("a=").matches(Map.of("a", "x"))).isFalse();
  }

  @Test
  void invalidLabelSelectorsNameThePart() {
    assertThatThrownBy(() -> LabelQuery.parse("a=b,=c"))
        .hasMessage("invalid label selector 'a=b,=c': cannot read '=c'");
    assertThatThrownBy(() -> LabelQuery.parse("a=b c"))
        .hasMessage("invalid label selector: 'b c' in 'a=b c' is not a label value");
  }

  @Test
  void fieldSelectorsOnNameAndNamespaceAreCacheableOthersAreNot() {
    FieldQuery q = FieldQuery.parse("metadata.name=web,metadata.namespace!=kube-system");
    assertThat(q.cacheable()).isTrue();
    assertThat(q.matches("shop", "web")).isTrue();
    assertThat(q.matches("kube-system", "web")).isFalse();
    assertThat(q.matches("shop", "api")).isFalse();
    assertThat(FieldQuery.parse("metadata.namespace==").matches(null, "n")).isTrue();
    assertThat(FieldQuery.parse("metadata.name==a").matches(null, "a")).isTrue();
    assertThat(FieldQuery.parse("spec.nodeName=node-1").cacheable()).isFalse();
    assertThat(FieldQuery.parse("").matches("x", "y")).isTrue();
    assertThatThrownBy(() -> FieldQuery.parse("metadata.name"))
        .hasMessage(
            "invalid field selector 'metadata.name': 'metadata.name' is not field=value,"
                + " field==value or field!=value");
  }
}
