package dev.k8swasm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitiesTest {

  @ParameterizedTest(name = "{0} = {1} ns")
  @CsvSource({
    "2s, 2000000000",
    "500ms, 500000000",
    "1m, 60000000000",
    "1m30s, 90000000000",
    "1.5s, 1500000000",
    "100us, 100000",
    "100µs, 100000",
    "10ns, 10",
    "1h, 3600000000000",
    "1h2m3s4ms5us6ns, 3723004005006",
    "0.5m, 30000000000",
    "' 2s ', 2000000000",
    "2S, 2000000000",
    "30s500ms, 30500000000",
    "0s, 0"
  })
  void durations(String text, long nanos) {
    assertThat(Quantities.parseDuration(text)).isEqualTo(Duration.ofNanos(nanos));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "2",
        "2x",
        "s",
        "-1s",
        "1.s",
        ".5s",
        "1m 30s",
        "2 s",
        "1d",
        "abc",
        "2s3",
        "1e3s",
        "+2s",
        "2ss",
        "9999999999h"
      })
  void invalidDurations(String text) {
    assertThatThrownBy(() -> Quantities.parseDuration(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid duration '" + text + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"2", "2x", "1d"})
  void invalidDurationsShowTheAcceptedForms(String text) {
    assertThatThrownBy(() -> Quantities.parseDuration(text))
        .hasMessageContaining("2s, 500ms, 1m or 1m30s");
  }

  @ParameterizedTest(name = "{0} = {1} bytes")
  @CsvSource({
    "64Mi, 67108864",
    "512Ki, 524288",
    "1Gi, 1073741824",
    "1Ti, 1099511627776",
    "1k, 1000",
    "1M, 1000000",
    "2G, 2000000000",
    "1T, 1000000000000",
    "1048576, 1048576",
    "1.5Mi, 1572864",
    "0.5Ki, 512",
    "' 64Mi ', 67108864",
    "0, 0"
  })
  void sizes(String text, long bytes) {
    assertThat(Quantities.parseBytes(text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "64MB",
        "64mi",
        "64KI",
        "-1",
        "1.5.5",
        "Mi",
        "64 Mi",
        "1e3",
        "0x10",
        "64Mib",
        "ten",
        "9999999Ti",
        "99999999999999999999"
      })
  void invalidSizes(String text) {
    assertThatThrownBy(() -> Quantities.parseBytes(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid size '" + text + "'");
  }

  @ParameterizedTest
  @CsvSource({"2000000000, 2s", "500000000, 500ms", "100000, 100us", "7, 7ns", "90000000000, 90s"})
  void formatDuration(long nanos, String text) {
    assertThat(Quantities.formatDuration(Duration.ofNanos(nanos))).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource({
    "67108864, 64Mi",
    "524288, 512Ki",
    "1073741824, 1Gi",
    "1000, 1000",
    "1572864, 1536Ki",
    "0, 0",
    "1099511627776, 1Ti"
  })
  void formatBytes(long bytes, String text) {
    assertThat(Quantities.formatBytes(bytes)).isEqualTo(text);
  }

  @Property(tries = 500)
  void durationsRoundTrip(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long nanos) {
    Duration d = Duration.ofNanos(nanos);

    assertThat(Quantities.parseDuration(Quantities.formatDuration(d))).isEqualTo(d);
  }

  @Property(tries = 300)
  void wholeUnitDurationsRoundTrip(
      @ForAll @IntRange(min = 0, max = 100_000) int amount, @ForAll("units") long unitNanos) {
    Duration d = Duration.ofNanos(amount * unitNanos);

    assertThat(Quantities.parseDuration(Quantities.formatDuration(d))).isEqualTo(d);
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<Long> units() {
    return net.jqwik.api.Arbitraries.of(1L, 1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L);
  }

  @Property(tries = 500)
  void sizesRoundTrip(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long bytes) {
    assertThat(Quantities.parseBytes(Quantities.formatBytes(bytes))).isEqualTo(bytes);
  }

  @Property(tries = 300)
  void binarySizesRoundTrip(
      @ForAll @IntRange(min = 1, max = 1 << 20) int amount,
      @ForAll @IntRange(min = 0, max = 3) int unit) {
    long bytes = (long) amount << (10 * unit);

    String text = Quantities.formatBytes(bytes);

    assertThat(Quantities.parseBytes(text)).isEqualTo(bytes);
    assertThat(text).matches("[0-9]+(Ki|Mi|Gi|Ti)?");
  }
}
