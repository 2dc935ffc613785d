package dev.k8swasm.wasi.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One loaded module - one sandbox - is made to fail in every way the issue lists, one after the
 * other, and asked a normal question after each failure: it answers correctly, from fresh state
 * (the {@code shapeshifter} test module reports how many calls its instance has seen and whether
 * its memory was written before), and a repeated failure is identical to the first.
 */
class OneSandboxTest {
  private static final Duration DEADLINE = HostileSandboxTest.DEADLINE;
  private static final String TABLE = "One sandbox, every failure (shapeshifter)";

  static {
    ReliabilityReport.columns(TABLE, "misbehaviour", "engine", "instances", "reason");
  }

  /** Mode letter -> (what it does, reasons allowed). */
  private static final Map<String, Map.Entry<String, Set<FailureReason>>> MODES =
      new LinkedHashMap<>();

  static {
    mode("i", "endless loop, br_if back edge", FailureReason.TIMEOUT);
    mode("b", "endless loop, br back edge", FailureReason.TIMEOUT);
    mode("t", "endless loop, br_table back edge", FailureReason.TIMEOUT);
    mode("s", "sleeps 1 h in poll_oneoff", FailureReason.TIMEOUT);
    mode("d", "endless loop 400 calls deep", FailureReason.TIMEOUT);
    mode("m", "grows memory until refused, then traps", FailureReason.MEMORY_LIMIT);
    mode("o", "stdout flood", FailureReason.OUTPUT_LIMIT);
    mode("e", "stderr flood", FailureReason.OUTPUT_LIMIT);
    mode("h", "2 MiB response", FailureReason.OUTPUT_LIMIT);
    mode("r", "unbounded recursion", FailureReason.TRAP);
    mode("u", "unreachable", FailureReason.TRAP);
    mode("z", "division by zero", FailureReason.TRAP);
    mode("x", "proc_exit(3)", FailureReason.EXIT_CODE);
    mode("g", "garbage output", FailureReason.BAD_OUTPUT);
    mode("E", "error answer", FailureReason.MODULE_ERROR);
  }

  private static void mode(String letter, String what, FailureReason... reasons) {
    MODES.put(letter, Map.entry(what, Set.of(reasons)));
  }

  static Stream<Arguments> engineAndStrategy() {
    return Stream.of(Engine.values())
        .flatMap(e -> Stream.of(InstanceStrategy.values()).map(s -> Arguments.of(e, s)));
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("engineAndStrategy")
  void everyFailureLeavesTheSandboxAnsweringNormally(Engine engine, InstanceStrategy strategy) {
    ModuleSpec spec =
        Guests.spec(
                Guests.own("shapeshifter"),
                engine,
                HostileSandboxTest.limits().toBuilder().maxMemoryBytes(2L << 20).build())
            .strategy(strategy)
            .build();
    try (PolicyModule module = ModuleRuntimes.load(spec)) {
      assertTimeoutPreemptively(
          HANG_GUARD_ALL,
          () -> {
            assertNormal(module);
            for (Map.Entry<String, Map.Entry<String, Set<FailureReason>>> m : MODES.entrySet()) {
              String what = m.getValue().getKey();
              ModuleException first = fails(module, m.getKey(), m.getValue().getValue(), engine);
              assertNormal(module);
              ModuleException again = fails(module, m.getKey(), m.getValue().getValue(), engine);
              assertThat(again.getMessage()).as(what).isEqualTo(first.getMessage());
              assertNormal(module);
              ReliabilityReport.count(
                  TABLE,
                  what,
                  ReliabilityReport.name(engine),
                  strategy.name().toLowerCase(java.util.Locale.ROOT),
                  first.reason().name());
            }
          });
    }
  }

  private static final Duration HANG_GUARD_ALL = Duration.ofSeconds(60);

  private static void assertNormal(PolicyModule module) {
    JsonNode user = null;
    for (int attempt = 0; user == null; attempt++) {
      long start = System.nanoTime();
      try {
        user =
            module
                .evaluate(ReviewKind.AUTHENTICATION, Guests.tokenReview("mode-normal"))
                .path("status")
                .path("user");
      } catch (ModuleException e) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        if (!Busy.tooBusy(e, Set.of(), DEADLINE, elapsed, attempt, "shapeshifter, normal")) {
          throw e;
        }
      }
    }
    assertThat(user.path("username").asText())
        .as("fresh, not dirty (memory written before) or grown (memory not its initial size)")
        .isEqualTo("fresh");
    assertThat(user.path("uid").asText()).as("calls this instance has seen").isEqualTo("1");
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  private static ModuleException fails(
      PolicyModule module, String mode, Set<FailureReason> reasons, Engine engine) {
    for (int attempt = 0; ; attempt++) {
      long start = System.nanoTime();
      try {
        JsonNode answer =
            module.evaluate(ReviewKind.AUTHENTICATION, Guests.tokenReview("mode-" + mode));
        return fail("mode %s: expected %s, got the answer %s", mode, reasons, answer);
      } catch (ModuleException e) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        if (Busy.tooBusy(e, reasons, DEADLINE, elapsed, attempt, "shapeshifter mode-" + mode)) {
          continue;
        }
        ReliabilityReport.elapsed(
            "API: one sandbox, every failure", engine, "mode-" + mode, DEADLINE, elapsed);
        assertThat(e.reason()).as("mode %s: %s", mode, e.getMessage()).isIn(reasons);
        assertThat(e.moduleName()).isEqualTo("shapeshifter");
        assertThat(e.getMessage()).startsWith("module 'shapeshifter': ");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        return e;
      }
    }
  }
}
