package dev.k8swasm.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LimitsTest {

  @Test
  void defaults() {
    Limits d = Limits.defaults();

    assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(d.maxMemoryBytes()).isEqualTo(64L << 20);
    assertThat(d.maxOutputBytes()).isEqualTo(1L << 20);
    assertThat(d.maxRequestBytes()).isEqualTo(16L << 20);
    assertThat(d.maxModuleBytes()).isEqualTo(64L << 20);
    assertThat(d.maxCallDepth()).isEqualTo(10_000);
    assertThat(d.maxMemoryPages()).isEqualTo(1024);
    assertThat(Limits.builder().build()).isEqualTo(d);
  }

  @Test
  void theBuilderSetsEachLimitAndKeepsTheOthers() {
    Limits l =
        Limits.builder()
            .timeout(Duration.ofMillis(250))
            .maxMemoryBytes(1 << 20)
            .maxOutputBytes(2)
            .maxRequestBytes(3)
            .maxModuleBytes(4)
            .maxCallDepth(5)
            .build();

    assertThat(l).isEqualTo(new Limits(Duration.ofMillis(250), 1 << 20, 2, 3, 4, 5));
    assertThat(l.toBuilder().build()).isEqualTo(l);
    assertThat(l.toBuilder().maxCallDepth(6).build().maxOutputBytes()).isEqualTo(2);
    assertThat(Limits.builder().maxOutputBytes(7).build().timeout())
        .isEqualTo(Limits.defaults().timeout());
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(
            (UnaryOperator<Limits.Builder>) b -> b.timeout(Duration.ZERO),
            "timeout must be positive, got PT0S"),
        Arguments.of(
            (UnaryOperator<Limits.Builder>) b -> b.timeout(Duration.ofSeconds(-1)),
            "timeout must be positive"),
        Arguments.of(
            (UnaryOperator<Limits.Builder>) b -> b.maxMemoryBytes(0),
            "maxMemoryBytes must be positive, got 0"),
        Arguments.of(
            (UnaryOperator<Limits.Builder>) b -> b.maxOutputBytes(-1),
            "maxOutputBytes must be positive, got -1"),
        Arguments.of(
            (UnaryOperator<Limits.Builder>) b -> b.maxRequestBytes(0),
            "maxRequestBytes must be positive"),
        Arguments.of(
            (UnaryOperator<Limits.Builder>) b -> b.maxModuleBytes(0),
            "maxModuleBytes must be positive"),
        Arguments.of(
            (UnaryOperator<Limits.Builder>) b -> b.maxCallDepth(0),
            "maxCallDepth must be positive"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalid")
  void invalidLimitsAreRejected(UnaryOperator<Limits.Builder> change, String message) {
    assertThatThrownBy(() -> change.apply(Limits.builder()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void aMissingTimeoutIsRejected() {
    assertThatThrownBy(() -> Limits.builder().timeout(null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("timeout");
  }

  @Test
  void memoryPagesAreRoundedDownAndClamped() {
    assertThat(Limits.builder().maxMemoryBytes(1).build().maxMemoryPages()).isEqualTo(1);
    assertThat(Limits.builder().maxMemoryBytes(65536).build().maxMemoryPages()).isEqualTo(1);
    assertThat(Limits.builder().maxMemoryBytes(65536 * 2 - 1).build().maxMemoryPages())
        .isEqualTo(1);
    assertThat(Limits.builder().maxMemoryBytes(65536 * 3).build().maxMemoryPages()).isEqualTo(3);
    assertThat(Limits.builder().maxMemoryBytes(4L << 30).build().maxMemoryPages()).isEqualTo(65536);
    assertThat(Limits.builder().maxMemoryBytes(Long.MAX_VALUE).build().maxMemoryPages())
        .isEqualTo(65536);
  }
}
