package dev.k8swasm.cli;

import dev.k8swasm.module.Engine;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleSpec;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How modules are executed: engine and limits. In single-module mode unset options take the library
 * defaults; with {@code --config} options given on the command line override every module's
 * configured values, and unset ones leave them alone.
 */
public final class ExecutionOptions {

  @Option(
      names = "--engine",
      paramLabel = "ENGINE",
      converter = Converters.EngineName.class,
      completionCandidates = Converters.EngineNames.class,
      description = "How module code runs: ${COMPLETION-CANDIDATES} (default: compiler).")
  Engine engine;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = Converters.PositiveDuration.class,
      description =
          "Deadline of one evaluation, e.g. 2s, 500ms, 1m30s; a bare number is seconds (default:"
              + " 2s).")
  Duration timeout;

  @Option(
      names = "--max-memory",
      paramLabel = "SIZE",
      converter = Converters.PositiveSize.class,
      description = "Largest linear memory of a module, e.g. 64Mi, 512Ki, 1Gi (default: 64Mi).")
  Long maxMemory;

  @Option(
      names = "--max-output",
      paramLabel = "SIZE",
      converter = Converters.PositiveSize.class,
      description = "Most a module may write to stdout (and to stderr), e.g. 1Mi (default: 1Mi).")
  Long maxOutput;

  /** Used by picocli. */
  public ExecutionOptions() {}

  /** Whether {@code --timeout} was given (on the command line or by a default provider). */
  boolean timeoutGiven() {
    return timeout != null;
  }

  /** {@code base} with the limits given on the command line. */
  public Limits limits(Limits base) {
    Limits.Builder b = base.toBuilder();
    if (timeout != null) {
      b.timeout(timeout);
    }
    if (maxMemory != null) {
      b.maxMemoryBytes(maxMemory);
    }
    if (maxOutput != null) {
      b.maxOutputBytes(maxOutput);
    }
    return b.build();
  }

  /** Applies the options given on the command line to {@code spec}, keeping its other values. */
  public ModuleSpec.Builder apply(ModuleSpec.Builder spec) {
    if (timeout != null || maxMemory != null || maxOutput != null) {
      // ModuleSpec.Builder has no getters: read the current limits from a throw-away spec.
      spec.limits(limits(spec.build().limits()));
    }
    if (engine != null) {
      spec.engine(engine);
    }
    return spec;
  }
}
