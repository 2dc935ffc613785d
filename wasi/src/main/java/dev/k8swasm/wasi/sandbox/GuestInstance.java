package dev.k8swasm.wasi.sandbox;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.ExternalType;
import dev.k8swasm.module.Limits;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One instance of a module with everything around it: its memory, its WASI host, its host imports
 * and its stdio. Created by a lifecycle, used by one thread at a time, possibly for many
 * evaluations; {@link #broken} once a guest call failed, and then never used again.
 */
final class GuestInstance<H extends HostImports> implements Guest<H>, AutoCloseable {
  private static final byte[] NO_INPUT = new byte[0];

  /** Output buffers that grew past this are replaced after the evaluation. */
  private static final int RETAINED_OUTPUT = 64 * 1024;

  private final PreparedModule<H> prepared;
  private final GuestInput stdin = new GuestInput();
  private final BoundedOutput stdout;
  private final BoundedOutput stderr;
  private final LazyRandom random;
  private final WasiBinding wasi;
  private final H host;
  private final Instance instance;
  private final Memory memory;
  private final Map<String, ExportFunction> exports = new HashMap<>();
  private boolean broken;

  /** Instantiates {@code prepared}: data segments and start section, not the initializer. */
  GuestInstance(PreparedModule<H> prepared) {
    this.prepared = prepared;
    long maxOutput = prepared.limits().maxOutputBytes();
    this.stdout = new BoundedOutput("stdout", maxOutput);
    this.stderr = new BoundedOutput("stderr", maxOutput);
    this.random = new LazyRandom(prepared.random());
    this.wasi =
        new WasiBinding(stdin, stdout, stderr, prepared.clock(), random, prepared.arguments());
    this.host = prepared.hostImports().apply(this);
    List<HostFunction> hostFunctions = host.functions();
    ImportValues imports =
        ImportValues.builder()
            .addFunction(wasi.imports())
            .addFunction(hostFunctions.toArray(new HostFunction[0]))
            .build();
    boolean tracked = prepared.trackedMemory();
    int limitPages = prepared.limits().maxMemoryPages();
    Instance.Builder builder =
        Instance.builder(prepared.module())
            .withImportValues(imports)
            .withMachineFactory(prepared.machines())
            .withUnsafeExecutionListener(InterruptCheck.INSTANCE)
            .withMemoryFactory(
                limits ->
                    tracked
                        ? new TrackedMemory(limits, limitPages)
                        : new com.dylibso.chicory.runtime.ByteArrayMemory(limits))
            .withTableFactory(prepared.tables())
            .withStart(false);
    if (prepared.memoryLimits() != null) {
      builder.withMemoryLimits(prepared.memoryLimits());
    }
    stdin.reset(NO_INPUT);
    this.instance = builder.build();
    this.memory = hasMemory(prepared) ? instance.memory() : null;
  }

  private static boolean hasMemory(PreparedModule<?> prepared) {
    return prepared.module().memorySection().map(s -> s.memoryCount() > 0).orElse(false);
  }

  /** Runs the initializer with empty stdin; afterwards stdout and stderr start empty. */
  void initialize() {
    beginPhase(NO_INPUT);
    prepared.initializer().initialize(this);
  }

  /**
   * Starts an evaluation: stdin holds {@code input}, the outputs are empty (stderr keeps what the
   * initialisation wrote when {@code keepStderr}), WASI and the host imports are reset.
   */
  void beginEvaluation(byte[] input, boolean keepStderr) {
    wasi.refresh();
    stdin.reset(input);
    stdout.reset(RETAINED_OUTPUT);
    if (!keepStderr) {
      stderr.reset(RETAINED_OUTPUT);
    }
    random.renew();
    host.reset();
  }

  private void beginPhase(byte[] input) {
    wasi.refresh();
    stdin.reset(input);
    stdout.reset(RETAINED_OUTPUT);
    stderr.reset(RETAINED_OUTPUT);
    random.renew();
    host.reset();
  }

  /** Drops what the evaluation left in the streams (input and output may hold request data). */
  void endEvaluation() {
    stdin.reset(NO_INPUT);
    stdout.reset(RETAINED_OUTPUT);
    stderr.reset(RETAINED_OUTPUT);
  }

  /** Whether a guest call failed: the instance's state is undefined and it must not be reused. */
  boolean broken() {
    return broken;
  }

  void markBroken() {
    broken = true;
  }

  /** The memory when it tracks writes, else null. */
  TrackedMemory trackedMemory() {
    return memory instanceof TrackedMemory ? (TrackedMemory) memory : null;
  }

  // ---- Guest ----

  @Override
  public String moduleName() {
    return prepared.name();
  }

  @Override
  public Limits limits() {
    return prepared.limits();
  }

  @Override
  public GuestInput stdin() {
    return stdin;
  }

  @Override
  public BoundedOutput stdout() {
    return stdout;
  }

  @Override
  public BoundedOutput stderr() {
    return stderr;
  }

  @Override
  public Instance instance() {
    return instance;
  }

  @Override
  public Memory memory() {
    return memory;
  }

  @Override
  public H host() {
    return host;
  }

  @Override
  public boolean exports(String name) {
    return prepared.exportedFunctions().contains(name);
  }

  @Override
  public long[] call(String export, long... args) {
    ExportFunction function = exports.get(export);
    if (function == null) {
      if (!exports(export)) {
        throw new IllegalArgumentException(
            "module '" + prepared.name() + "' exports no function '" + export + "'");
      }
      function = instance.export(export);
      exports.put(export, function);
    }
    try {
      return function.apply(args);
    } catch (RuntimeException | Error e) {
      if (GuestFailures.isCleanExit(e)) {
        return null;
      }
      broken = true;
      throw e;
    }
  }

  @Override
  public boolean callIfExported(String export) {
    if (!exports(export)) {
      return false;
    }
    call(export);
    return true;
  }

  @Override
  public void close() {
    wasi.close();
  }

  /** Whether {@code type} is a function export. */
  static boolean isFunction(ExternalType type) {
    return type == ExternalType.FUNCTION;
  }
}
