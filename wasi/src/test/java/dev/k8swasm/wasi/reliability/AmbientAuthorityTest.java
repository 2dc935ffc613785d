package dev.k8swasm.wasi.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 3, isolation: a module gets no filesystem, environment, arguments or network, whatever it
 * calls; and what it learns from the clock and from {@code random_get} is what the embedder
 * injected ({@code ModuleSpec.clock}, {@code ModuleSpec.random}), so evaluations can be made
 * deterministic.
 */
class AmbientAuthorityTest {
  private static final int EBADF = 8;
  private static final String TABLE = "Isolation probes";

  static {
    ReliabilityReport.columns(TABLE, "probe", "engine", "result");
  }

  /** The probe's 16 results, in the order its source documents. */
  private static List<Integer> probe(Engine engine, InstanceStrategy strategy) {
    ModuleSpec spec =
        Guests.spec(Guests.own("sandbox_probe"), engine, Guests.RELAXED).strategy(strategy).build();
    try (PolicyModule module = ModuleRuntimes.load(spec)) {
      String r =
          module.evaluate(ReviewKind.AUTHENTICATION, Guests.tokenReview("t")).path("r").asText();
      return Arrays.stream(r.split(",")).map(Integer::valueOf).toList();
    }
  }

  static Stream<Arguments> engineAndStrategy() {
    return Stream.of(Engine.values())
        .flatMap(e -> Stream.of(InstanceStrategy.values()).map(s -> Arguments.of(e, s)));
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("engineAndStrategy")
  void noArgumentsEnvironmentFilesOrSockets(Engine engine, InstanceStrategy strategy) {
    // the host's own environment is not empty, so an empty one in the guest is not a coincidence
    assertThat(System.getenv()).isNotEmpty();

    List<Integer> r = probe(engine, strategy);

    assertThat(r).hasSize(16);
    assertThat(r.get(0)).as("args_sizes_get errno").isZero();
    assertThat(r.get(1)).as("argc").isZero();
    assertThat(r.get(2)).as("environ_sizes_get errno").isZero();
    assertThat(r.get(3)).as("environment variables").isZero();
    assertThat(r.get(4)).as("fd_prestat_get(3): no preopened directory").isEqualTo(EBADF);
    assertThat(r.get(15)).as("fd_prestat_get(4): no preopened directory").isEqualTo(EBADF);
    assertThat(r.get(5)).as("path_open(3, /etc/passwd)").isNotZero();
    assertThat(r.get(6)).as("path_open(stdin, etc/passwd)").isNotZero();
    assertThat(r.get(7)).as("fd_read(3)").isEqualTo(EBADF);
    assertThat(r.get(8)).as("fd_write(4)").isEqualTo(EBADF);
    assertThat(r.get(9)).as("sock_accept(3)").isEqualTo(EBADF);
    assertThat(r.get(10)).as("sock_recv(3)").isEqualTo(EBADF);
    assertThat(r.get(11)).as("sock_send(3)").isEqualTo(EBADF);
    assertThat(r.get(12)).as("sock_shutdown(3)").isNotZero();
    assertThat(r.get(13)).as("sock_shutdown(stdin)").isNotZero();
    assertThat(r.get(14)).as("path_create_directory(3, x)").isNotZero();
    ReliabilityReport.count(
        TABLE,
        "sandbox_probe: args, env, preopens, files, sockets",
        ReliabilityReport.name(engine),
        "nothing reachable " + r);
  }

  private static final Instant FIXED = Instant.parse("2024-02-29T12:34:56.789Z");

  /** clock_random's answer under a fixed clock and {@code new Random(seed)}. */
  private static JsonNode clockAndRandom(
      Engine engine, InstanceStrategy strategy, Clock clock, long seed) {
    ModuleSpec spec =
        Guests.spec(Guests.own("clock_random"), engine, Guests.RELAXED)
            .strategy(strategy)
            .clock(clock)
            .random(() -> new Random(seed))
            .build();
    try (PolicyModule module = ModuleRuntimes.load(spec)) {
      return module.evaluate(ReviewKind.AUTHENTICATION, Guests.tokenReview("t"));
    }
  }

  /** Eight little-endian bytes in hex as a number. */
  private static long littleEndian(String hex) {
    long value = 0;
    for (int i = 7; i >= 0; i--) {
      value = value << 8 | Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return value;
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("engineAndStrategy")
  void realtimeClockAndRandomnessAreInjected(Engine engine, InstanceStrategy strategy) {
    Clock fixed = Clock.fixed(FIXED, ZoneOffset.UTC);

    JsonNode first = clockAndRandom(engine, strategy, fixed, 42);
    JsonNode second = clockAndRandom(engine, strategy, fixed, 42);
    JsonNode otherSeed = clockAndRandom(engine, strategy, fixed, 43);

    assertThat(first.path("errors").asText()).isEqualTo("000");
    long nanos = FIXED.getEpochSecond() * 1_000_000_000L + FIXED.getNano();
    assertThat(littleEndian(first.path("realtime").asText())).isEqualTo(nanos);
    byte[] expected = new byte[16];
    new Random(42).nextBytes(expected);
    assertThat(first.path("random").asText())
        .isEqualTo(java.util.HexFormat.of().formatHex(expected));
    assertThat(second.path("realtime")).isEqualTo(first.path("realtime"));
    assertThat(second.path("random")).isEqualTo(first.path("random"));
    assertThat(otherSeed.path("random")).isNotEqualTo(first.path("random"));
    ReliabilityReport.count(
        TABLE,
        "clock_random: realtime clock and random_get injected",
        ReliabilityReport.name(engine),
        "deterministic");
  }

  /** Every evaluation gets a fresh Random from the supplier: the same answer every time. */
  @ParameterizedTest
  @EnumSource(Engine.class)
  void everyEvaluationGetsItsOwnRandom(Engine engine) {
    ModuleSpec spec =
        Guests.spec(Guests.own("clock_random"), engine, Guests.RELAXED)
            .clock(Clock.fixed(FIXED, ZoneOffset.UTC))
            .random(() -> new Random(7))
            .build();
    try (PolicyModule module = ModuleRuntimes.load(spec)) {
      JsonNode first = module.evaluate(ReviewKind.AUTHENTICATION, Guests.tokenReview("t"));
      for (int i = 0; i < 3; i++) {
        JsonNode next = module.evaluate(ReviewKind.AUTHENTICATION, Guests.tokenReview("t" + i));
        assertThat(next.path("random")).isEqualTo(first.path("random"));
        assertThat(next.path("realtime")).isEqualTo(first.path("realtime"));
      }
    }
  }

  /**
   * The monotonic clock comes from the injected clock too (spec section 6: "clocks ... from the
   * host's clock (tests may inject a fixed clock)"), so a module that measures time with it is
   * deterministic under a fixed clock.
   */
  @ParameterizedTest
  @EnumSource(Engine.class)
  void monotonicClockIsInjected(Engine engine) {
    Clock fixed = Clock.fixed(FIXED, ZoneOffset.UTC);

    JsonNode first = clockAndRandom(engine, InstanceStrategy.FRESH, fixed, 42);
    JsonNode second = clockAndRandom(engine, InstanceStrategy.FRESH, fixed, 42);

    assertThat(second.path("monotonic")).isEqualTo(first.path("monotonic"));
  }
}
