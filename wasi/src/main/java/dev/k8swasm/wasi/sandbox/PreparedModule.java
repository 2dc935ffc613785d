package dev.k8swasm.wasi.sandbox;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.runtime.TableFactory;
import com.dylibso.chicory.runtime.TableInstance;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.Table;
import com.dylibso.chicory.wasm.types.TableLimits;
import dev.k8swasm.module.Limits;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A parsed, checked and compiled module with everything needed to instantiate it: immutable and
 * shared by all evaluations and threads.
 *
 * @param name the module's name
 * @param module the parsed module
 * @param machines creates the execution engine of an instance (compiled once, reused)
 * @param memoryLimits the limits of the module's memory, null when it has none
 * @param tables creates table instances bounded like memory (see {@link #boundedTables})
 * @param limits the module's limits
 * @param hostImports creates the host imports of an instance
 * @param initializer brings a new instance into its initial state
 * @param arguments the WASI arguments
 * @param clock the clock of WASI
 * @param random the randomness of WASI, one per evaluation
 * @param exportedFunctions the names of the exported functions
 * @param trackedMemory whether instances get a {@link TrackedMemory}
 * @param traits what the code can change
 */
record PreparedModule<H extends HostImports>(
    String name,
    WasmModule module,
    Function<Instance, Machine> machines,
    MemoryLimits memoryLimits,
    TableFactory tables,
    Limits limits,
    Function<GuestContext, H> hostImports,
    Initializer<H> initializer,
    List<String> arguments,
    Clock clock,
    Supplier<Random> random,
    Set<String> exportedFunctions,
    boolean trackedMemory,
    ModuleTraits traits) {

  /**
   * Table instances of their own and bounded. Chicory 1.7.5's {@code TableInstance.grow} also grows
   * the limits of the module's {@link Table}, so later instances would start with the grown size;
   * giving each instance a copy of the table type keeps instances apart. A table may grow to its
   * declared maximum, at most {@code maxMemoryBytes / 16} entries (an entry costs about 16 bytes of
   * heap), but never below its declared initial size.
   */
  static TableFactory boundedTables(Limits limits) {
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
