package dev.k8swasm.wasi;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.runtime.TableFactory;
import com.dylibso.chicory.runtime.TableInstance;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.Table;
import com.dylibso.chicory.wasm.types.TableLimits;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.Limits;
import java.util.function.Function;

/**
 * A parsed, checked and compiled module with everything needed to instantiate it: immutable and
 * shared by all evaluations.
 *
 * @param module the parsed module
 * @param machines creates the execution engine of an instance (compiled once, reused)
 * @param memory the memory limits of every instance
 * @param tables creates table instances bounded like memory (see {@link #boundedTables})
 * @param reactor whether {@code _initialize} runs once per instance
 */
record PreparedModule(
    WasmModule module,
    Function<Instance, Machine> machines,
    MemoryLimits memory,
    TableFactory tables,
    boolean reactor) {

  /**
   * Prepares {@code module} for {@code engine}. For the compiler this compiles the module once
   * (which may take a while); calls deeper than {@link Limits#maxCallDepth()} trap in the
   * interpreter, while compiled code is bounded by the JVM thread stack.
   */
  static PreparedModule prepare(
      WasmModule module, ModuleShape shape, Engine engine, Limits limits) {
    Function<Instance, Machine> machines =
        switch (engine) {
          // Not the method reference MachineFactoryCompiler::compile, which would bind the
          // compile(Instance) overload and compile the module again for every instance.
          case COMPILER -> MachineFactoryCompiler.compile(module);
          case INTERPRETER ->
              instance -> new DepthLimitedInterpreterMachine(instance, limits.maxCallDepth());
        };
    return new PreparedModule(
        module, machines, shape.memory(), boundedTables(limits), shape.reactor());
  }

  /**
   * Table instances of their own and bounded. Chicory 1.7.5's {@code TableInstance.grow} also grows
   * the limits of the module's {@link Table}, so later instances would start with the grown size;
   * giving each instance a copy of the table type keeps instances apart. A table may grow to its
   * declared maximum, at most {@code maxMemoryBytes / 16} entries (an entry costs about 16 bytes of
   * heap), but never below its declared initial size.
   */
  private static TableFactory boundedTables(Limits limits) {
    long cap = Math.max(1, limits.maxMemoryBytes() / 16);
    return (table, initialValue) -> {
      TableLimits declared = table.limits();
      long max = Math.max(declared.min(), Math.min(declared.max(), cap));
      Table own =
          new Table(table.elementType(), new TableLimits(declared.min(), max), table.initialize());
      return new TableInstance(own, initialValue);
    };
  }
}
