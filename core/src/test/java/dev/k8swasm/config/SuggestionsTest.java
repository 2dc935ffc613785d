package dev.k8swasm.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
  static final List<String> KEYS = List.of("timeout", "maxMemory", "module", "modules", "name");

  @Test
  void typosGetTheClosestKey() {
    assertThat(Suggestions.didYouMean("timout", KEYS)).contains("timeout");
    assertThat(Suggestions.didYouMean("maxmemory", KEYS)).contains("maxMemory");
    assertThat(Suggestions.didYouMean("modul", KEYS)).contains("module");
    assertThat(Suggestions.didYouMean("nme", KEYS)).contains("name");
  }

  @Test
  void unrelatedNamesGetNone() {
    assertThat(Suggestions.didYouMean("colour", KEYS)).isEmpty();
    assertThat(Suggestions.didYouMean("x", KEYS)).isEmpty();
  }

  @Test
  void knownDistances() {
    assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
    assertThat(Suggestions.distance("Name", "name")).isZero();
  }

  @Property(tries = 200)
  void distanceIsAMetricBoundedByTheLongerLength(
      @ForAll @AlphaChars @StringLength(max = 12) String a,
      @ForAll @AlphaChars @StringLength(max = 12) String b,
      @ForAll @AlphaChars @StringLength(max = 12) String c) {
    int ab = Suggestions.distance(a, b);
    assertThat(ab).isEqualTo(Suggestions.distance(b, a));
    assertThat(Suggestions.distance(a, a)).isZero();
    assertThat(ab).isLessThanOrEqualTo(Math.max(a.length(), b.length()));
    assertThat(Suggestions.distance(a, c)).isLessThanOrEqualTo(ab + Suggestions.distance(b, c));
  }
}
