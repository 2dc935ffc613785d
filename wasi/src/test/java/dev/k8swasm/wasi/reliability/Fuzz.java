package dev.k8swasm.wasi.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.config.ConfigException;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one fuzz case on a worker thread under a hang guard, checks that it ended in a decision or
 * in one of the documented exceptions with a clear message, and records the outcome and the time it
 * took in the reliability report.
 */
final class Fuzz {
  /** The deadline of every module the fuzz tests load. */
  static final Duration DEADLINE = Duration.ofMillis(500);

  /** How long a case may take before it counts as a hang: generous, for slow, busy machines. */
  static final Duration HANG_GUARD = Duration.ofSeconds(20);

  static final String TABLE = "Fuzz cases";

  static {
    ReliabilityReport.columns(TABLE, "kind", "outcome");
  }

  private static final ExecutorService WORKERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "fuzz-worker");
            t.setDaemon(true);
            return t;
          });

  private Fuzz() {}

  /**
   * Runs {@code body}, which returns a description of the decision it got, e.g. "allowed". A {@link
   * ModuleException} must name {@code module} (when not null); a {@link ConfigException} or {@link
   * IllegalArgumentException} must have a message. Anything else thrown, or a hang, fails.
   *
   * @param kind the kind of case, for the report (e.g. "random request bytes")
   * @param engine the engine, for the timing table
   * @return the outcome as recorded
   */
  static String run(String kind, Engine engine, String module, Callable<String> body) {
    long start = System.nanoTime();
    Future<String> future = WORKERS.submit(() -> classify(module, body));
    String outcome;
    try {
      outcome = future.get(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new AssertionError(kind + ": no result within " + HANG_GUARD + " (a hang)", e);
    } catch (ExecutionException e) {
      throw new AssertionError(kind + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    String category = kind.contains(" -> ") ? kind.substring(kind.indexOf(" -> ") + 4) : kind;
    ReliabilityReport.elapsed(
        "fuzz, whole case: " + category,
        engine,
        kind + ": " + outcome,
        DEADLINE,
        Duration.ofNanos(System.nanoTime() - start));
    ReliabilityReport.count(TABLE, kind, outcome);
    return outcome;
  }

  /**
   * {@code module.evaluate(kind, request)}, timed on its own (without loading) for the report's
   * deadline table under {@code what}, whether it answers or throws.
   */
  static JsonNode evaluate(
      String what, Engine engine, PolicyModule module, ReviewKind kind, byte[] request) {
    long start = System.nanoTime();
    String outcome = "answer";
    try {
      return module.evaluate(kind, request);
    } catch (ModuleException e) {
      outcome = e.reason().name();
      throw e;
    } finally {
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      ReliabilityReport.elapsed("fuzz, evaluation only: " + what, engine, what, DEADLINE, elapsed);
      if (elapsed.compareTo(DEADLINE.plusMillis(100)) > 0) {
        ReliabilityReport.note(
            String.format(
                java.util.Locale.ROOT,
                "Fuzz: an evaluation overran its %d ms deadline by more than 100 ms: %s, %s on"
                    + " the %s, %s after %d ms (%s)",
                DEADLINE.toMillis(),
                what,
                module.name(),
                ReliabilityReport.name(engine),
                outcome,
                elapsed.toMillis(),
                loadAverage()));
      }
    }
  }

  /** The system load average, which explains most overruns on a shared machine. */
  static String loadAverage() {
    double load =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return load < 0
        ? "load average unknown"
        : String.format(
            java.util.Locale.ROOT,
            "load average %.1f on %d processors",
            load,
            Runtime.getRuntime().availableProcessors());
  }

  private static String classify(String module, Callable<String> body) throws Exception {
    String outcome = classifyStrictly(module, body);
    assertThat(Thread.currentThread().isInterrupted()).as("interrupt flag").isFalse();
    return outcome;
  }

  private static String classifyStrictly(String module, Callable<String> body) throws Exception {
    String outcome;
    try {
      outcome = "decision: " + body.call();
    } catch (ModuleException e) {
      assertThat(e.reason())
          .as("a host bug: %s", e.getMessage())
          .isNotEqualTo(FailureReason.INTERNAL);
      assertThat(e.getMessage()).isNotBlank();
      assertThat(e.detail()).isNotBlank();
      if (module != null) {
        assertThat(e.moduleName()).isEqualTo(module);
        assertThat(e.getMessage()).contains("module '" + module + "'");
      }
      outcome = "ModuleException " + e.reason();
    } catch (ConfigException e) {
      assertThat(e.getMessage()).isNotBlank();
      outcome = "ConfigException";
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).isNotBlank();
      outcome = "IllegalArgumentException (input rejected)";
    } catch (Throwable e) {
      throw new AssertionError("unexpected " + e, e);
    }
    return outcome;
  }
}
