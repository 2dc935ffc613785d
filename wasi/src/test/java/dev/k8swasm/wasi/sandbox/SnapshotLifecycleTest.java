package dev.k8swasm.wasi.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.runtime.Memory;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The snapshot strategy restores everything an evaluation may change, on both engines. */
class SnapshotLifecycleTest {
  private static final byte[] NO_INPUT = new byte[0];

  private static <H extends HostImports> long run(
      SandboxedModule<H> module, java.util.function.ToLongFunction<Guest<H>> call) {
    Long result = module.evaluate(NO_INPUT, g -> call.applyAsLong(g));
    return result;
  }

  private static SandboxedModule<HostImports> load(String name, Engine engine) {
    SandboxedModule<HostImports> module =
        SandboxedModule.builder(SandboxModules.spec(name, engine, InstanceStrategy.SNAPSHOT))
            .build();
    assertThat(module.strategy()).isEqualTo(InstanceStrategy.SNAPSHOT);
    return module;
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void everyEvaluationSeesExactlyTheSnapshot(Engine engine) {
    try (SandboxedModule<HostImports> module = load("scribble", engine)) {
      InstanceSnapshot snapshot = module.snapshot();
      for (int seed = 1; seed <= 3; seed++) {
        int s = seed;
        // memory.init after data.drop would trap if the data segments were not restored
        module.evaluate(NO_INPUT, g -> g.call("scribble", s));
        module.evaluate(
            NO_INPUT,
            g -> {
              Memory memory = g.memory();
              assertThat(memory.pages()).isEqualTo(1);
              MemorySnapshot expected = snapshot.memory();
              for (int i = 0; i < expected.bytes(); i++) {
                if (memory.read(i) != expected.byteAt(i)) {
                  throw new AssertionError("byte " + i + " differs from the snapshot");
                }
              }
              assertThat(memory.readInt(200)).as("_initialize's write").isEqualTo(0x11223344);
              assertThat(g.instance().exports().global("g").getValue()).isEqualTo(8);
              assertThat(g.call("h")[0]).isEqualTo(9);
              assertThat(Double.longBitsToDouble(g.call("f")[0])).isEqualTo(1.5);
              assertThat(g.call("pages")[0]).isEqualTo(1);
              return null;
            });
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theSnapshotIsTakenAfterTheWarmUpAndEveryEvaluationStartsFromIt(Engine engine) {
    try (SandboxedModule<HostImports> module =
        SandboxedModule.builder(SandboxModules.spec("scribble", engine, InstanceStrategy.SNAPSHOT))
            .warmUp(g -> g.call("scribble", 5))
            .build()) {
      assertThat(module.strategy()).isEqualTo(InstanceStrategy.SNAPSHOT);
      InstanceSnapshot snapshot = module.snapshot();
      assertThat(snapshot.memory().pages()).as("the warm-up grew the memory").isEqualTo(3);
      for (int round = 0; round < 3; round++) {
        int r = round;
        module.evaluate(
            NO_INPUT,
            g -> {
              Memory memory = g.memory();
              assertThat(memory.pages()).isEqualTo(3);
              MemorySnapshot expected = snapshot.memory();
              for (int i = 0; i < expected.bytes(); i++) {
                if (memory.read(i) != expected.byteAt(i)) {
                  throw new AssertionError("byte " + i + " differs from the snapshot");
                }
              }
              assertThat(memory.readInt(65546)).as("the warm-up's write").isEqualTo(5);
              assertThat(g.instance().exports().global("g").getValue()).isEqualTo(5);
              // this evaluation's own changes must not reach the next one
              memory.writeI32(65546, 100 + r);
              memory.writeI32(200, 100 + r);
              assertThat(memory.grow(4)).isEqualTo(3);
              memory.writeLong(7 * Memory.PAGE_SIZE - 8, -1L);
              return null;
            });
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aFailedWarmUpLeavesTheSnapshotOfTheInitialisedInstance(Engine engine) {
    try (SandboxedModule<HostImports> module =
        SandboxedModule.builder(SandboxModules.spec("scribble", engine, InstanceStrategy.SNAPSHOT))
            .warmUp(
                g -> {
                  g.call("scribble", 5);
                  throw new IllegalStateException("the warm-up fails");
                })
            .build()) {
      assertThat(module.strategy()).isEqualTo(InstanceStrategy.SNAPSHOT);
      assertThat(module.snapshot().memory().pages()).isEqualTo(1);
      assertThat(
              run(
                  module,
                  g -> {
                    assertThat(g.memory().readInt(200)).isEqualTo(0x11223344);
                    assertThat(g.memory().readInt(65532)).isZero();
                    assertThat(g.instance().exports().global("g").getValue()).isEqualTo(8);
                    g.call("scribble", 2); // the passive segment was not dropped
                    return g.call("pages")[0];
                  }))
          .isEqualTo(3);
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void memoryThatGrewShrinksBack(Engine engine) {
    try (SandboxedModule<HostImports> module = load("scribble", engine)) {
      long grown =
          module.evaluate(
              NO_INPUT,
              g -> {
                g.call("scribble", 1);
                return g.call("pages")[0];
              });
      assertThat(grown).isEqualTo(3);
      assertThat(run(module, g -> g.call("pages")[0])).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void tablesAndElementSegmentsAreRestored(Engine engine) {
    try (SandboxedModule<HostImports> module = load("tables", engine)) {
      assertThat(run(module, g -> g.call("which")[0])).isEqualTo(1);
      assertThat(
              run(
                  module,
                  g -> {
                    g.call("swap");
                    return g.call("which")[0];
                  }))
          .isEqualTo(2);
      assertThat(run(module, g -> g.call("which")[0])).isEqualTo(1);
      // table.init then elem.drop: the next evaluation can init again
      for (int i = 0; i < 2; i++) {
        assertThat(
                run(
                    module,
                    g -> {
                      g.call("init");
                      return g.call("which")[0];
                    }))
            .isEqualTo(2);
      }
      // a grown table cannot shrink: that instance is discarded, the next one is clean
      assertThat(
              run(
                  module,
                  g -> {
                    g.call("grow");
                    return g.call("size")[0];
                  }))
          .isEqualTo(3);
      assertThat(run(module, g -> g.call("size")[0])).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aFailedEvaluationsInstanceIsNeverReused(Engine engine) {
    try (SandboxedModule<HostImports> module = load("poison", engine)) {
      assertThatThrownBy(() -> module.evaluate(NO_INPUT, g -> g.call("poison")))
          .isInstanceOfSatisfying(
              ModuleException.class, e -> assertThat(e.reason()).isEqualTo(FailureReason.TRAP));
      assertThat(run(module, g -> g.call("check")[0])).isZero();
      assertThat(run(module, g -> g.call("peek")[0])).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void anInitialisationEndingWithProcExitZeroIsSnapshotted(Engine engine) {
    ModuleSpec spec = SandboxModules.spec("init_exit0", engine, InstanceStrategy.SNAPSHOT);
    try (SandboxedModule<HostImports> module =
        SandboxedModule.builder(spec).initializer(g -> g.callIfExported("_start")).build()) {
      assertThat(module.strategy()).isEqualTo(InstanceStrategy.SNAPSHOT);
      for (int i = 0; i < 3; i++) {
        assertThat(run(module, g -> g.call("ready")[0])).isEqualTo(1);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aModuleWhoseInitialisationFailsFallsBackToFreshInstances(Engine engine) {
    ModuleSpec spec = SandboxModules.spec("init_trap", engine, InstanceStrategy.SNAPSHOT);
    try (SandboxedModule<HostImports> module = SandboxedModule.builder(spec).build()) {
      assertThat(module.strategy()).isEqualTo(InstanceStrategy.FRESH);
      assertThatThrownBy(() -> module.evaluate(NO_INPUT, g -> g.call("run")))
          .isInstanceOfSatisfying(
              ModuleException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(FailureReason.TRAP);
                assertThat(e.getMessage()).contains("unreachable");
              });
    }
  }

  @ParameterizedTest
  @EnumSource(InstanceStrategy.class)
  void aFailureAfterTheMemoryLimitRefusedToGrowIsAMemoryLimitFailure(InstanceStrategy strategy) {
    ModuleSpec spec =
        SandboxModules.spec(
                SandboxModules.EXAMPLES.resolve("hostile/memory_bomb.wasm"),
                Engine.COMPILER,
                strategy)
            .toBuilder()
            .limits(SandboxModules.RELAXED.toBuilder().maxMemoryBytes(1L << 20).build())
            .build();
    try (SandboxedModule<HostImports> module = SandboxedModule.builder(spec).build()) {
      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> module.evaluate(NO_INPUT, g -> g.call("validate")))
            .isInstanceOfSatisfying(
                ModuleException.class,
                e -> {
                  assertThat(e.reason()).isEqualTo(FailureReason.MEMORY_LIMIT);
                  assertThat(e.getMessage())
                      .contains("memory limit 1Mi reached", "memory.grow of", "unreachable");
                });
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void concurrentEvaluationsEachSeeTheSnapshot(Engine engine) throws Exception {
    try (SandboxedModule<HostImports> module = load("scribble", engine)) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Callable<Long>> tasks = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          int seed = i;
          tasks.add(
              () ->
                  module.evaluate(
                      NO_INPUT,
                      g -> {
                        long before = g.instance().exports().global("g").getValue();
                        long pages = g.call("pages")[0];
                        g.call("scribble", seed);
                        return before * 100 + pages;
                      }));
        }
        for (Future<Long> result : pool.invokeAll(tasks)) {
          assertThat(result.get()).isEqualTo(801);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theFreshStrategyInitialisesEveryInstance(Engine engine) {
    ModuleSpec spec = SandboxModules.spec("scribble", engine, InstanceStrategy.FRESH);
    try (SandboxedModule<HostImports> module = SandboxedModule.builder(spec).build()) {
      assertThat(module.strategy()).isEqualTo(InstanceStrategy.FRESH);
      module.evaluate(NO_INPUT, g -> g.call("scribble", 5));
      assertThat(run(module, g -> g.memory().readInt(200))).isEqualTo(0x11223344);
      assertThat(run(module, g -> g.call("pages")[0])).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(InstanceStrategy.class)
  void aClosedModuleRefusesToEvaluate(InstanceStrategy strategy) {
    SandboxedModule<HostImports> module =
        SandboxedModule.builder(SandboxModules.spec("poison", Engine.COMPILER, strategy)).build();
    module.close();
    assertThatThrownBy(() -> module.evaluate(NO_INPUT, g -> g.call("check")))
        .isInstanceOfSatisfying(
            ModuleException.class, e -> assertThat(e.reason()).isEqualTo(FailureReason.CLOSED));
  }

  static Limits limits() {
    return SandboxModules.RELAXED;
  }
}
