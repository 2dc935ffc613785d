package dev.k8swasm.benchmarks;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.PolicyModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * S6, cold start: loading a module (read, parse, check, compile or load the compiled classes from
 * the compile cache, initialise and snapshot) until it is ready to evaluate, with and without the
 * compile cache. Single-shot: each measurement loads the module once in a JVM that has loaded other
 * modules before (the runtime's own classes are warm, this module is new).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ColdStartBenchmark {
  /** {@code magic_validator.wasm} (15 KB) or {@code big_validator.wasm} (1 MB+). */
  @Param({"magic_validator", "big_validator"})
  public String module;

  @Param({"cached", "uncached"})
  public String cache;

  private Path path;
  private Path cacheDir;

  @Setup(Level.Trial)
  public void prepare() throws IOException {
    path =
        module.equals("big_validator")
            ? Fixtures.benchModule("big_validator.wasm")
            : Fixtures.module(module + ".wasm");
    cacheDir = Files.createTempDirectory("k8s-wasm-coldstart");
    // Warm the runtime with another module, and fill the cache for this one.
    try (PolicyModule warm = load(Fixtures.module("magic_authenticator.wasm"), true)) {
      warm.name();
    }
    if (cache.equals("cached")) {
      try (PolicyModule filled = load(path, true)) {
        filled.name();
      }
    }
  }

  private PolicyModule load(Path file, boolean cached) {
    ModuleSpec.Builder spec = ModuleSpec.builder("cold").path(file);
    spec.option("compileCache", cached ? TextNode.valueOf(cacheDir.toString()) : BooleanNode.FALSE);
    return ModuleRuntimes.load(spec.build());
  }

  @Benchmark
  public Object load() {
    try (PolicyModule loaded = load(path, cache.equals("cached"))) {
      return loaded.kinds();
    }
  }
}
