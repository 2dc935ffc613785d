package dev.k8swasm.wasi.sandbox;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.runtime.TableInstance;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebAssembly module loaded into the k8s-wasm sandbox: parsed, checked and compiled once, ready
 * to evaluate on any number of threads, each evaluation in an instance no other evaluation sees,
 * under the module's {@link Limits} (deadline, memory, output). The engine of both the WASI module
 * contract and other module runtimes (Kubewarden's waPC policies) built on it.
 *
 * <p>What the sandbox provides: WASI preview 1 (stdio, clock and randomness from the {@link
 * ModuleSpec}, the {@linkplain Builder#arguments arguments} configured, no environment, files or
 * sockets), the runtime's {@link HostImports} (created per instance), load-time checks that name
 * every import the host does not provide, the compiler or the interpreter ({@link
 * ModuleSpec#engine()}) with a persistent compile cache, and the instance lifecycle ({@link
 * ModuleSpec#strategy()}): a fresh instance per evaluation, or a snapshot of the initialised
 * instance restored into a pooled instance (the default; a module that cannot be snapshotted, or
 * whose initialisation fails at load, falls back to fresh instances with an INFO log line).
 *
 * <p>A waPC-style runtime, for example:
 *
 * <pre>{@code
 * SandboxedModule<WapcHost> module =
 *     SandboxedModule.builder(spec)
 *         .hostImports(WapcHost::new)            // per instance: the nine "wapc" functions + state
 *         .initializer(guest -> {
 *           guest.callIfExported("_start");      // proc_exit(0) counts as success
 *           guest.callIfExported("wapc_init");
 *         })
 *         .contract("Kubewarden waPC policy ABI", "Build the policy with a Kubewarden SDK")
 *         .check((wasm, problems) -> { if (no __guest_call export) problems.add("..."); })
 *         .build();                                // ModuleException LOAD_FAILED on problems
 *
 * byte[] response = module.evaluate(new byte[0], guest -> {
 *   WapcHost host = guest.host();                // reset() already called for this evaluation
 *   host.request("validate", payload);
 *   long[] ok = guest.call("__guest_call", "validate".length(), payload.length);
 *   if (ok == null || ok[0] != 1) {
 *     throw new ModuleException(guest.moduleName(), FailureReason.MODULE_ERROR, host.error());
 *   }
 *   return host.response();
 * });
 * }</pre>
 *
 * <p>Thread-safe. Close it to free pooled instances; evaluating a closed module fails with {@link
 * FailureReason#CLOSED}.
 *
 * @param <H> the type of the per-instance host imports
 */
public final class SandboxedModule<H extends HostImports> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxedModule.class);

  /**
   * Progress of slow steps people wait for (compiling a big module the first time), under a name
   * that does not depend on the package, so that a command line can show just these at info level.
   */
  private static final Logger PROGRESS = LoggerFactory.getLogger("dev.k8swasm.progress");

  /** Modules from this size on announce their compilation on {@link #PROGRESS}. */
  static final int PROGRESS_BYTES = 1 << 20;

  private static final BoundedOutput NO_OUTPUT = new BoundedOutput("stderr", 1);
  private static final byte[] NO_INPUT = new byte[0];
  private static final Supplier<String> NO_SECRET = () -> null;

  private final PreparedModule<H> prepared;
  private final Lifecycle<H> lifecycle;
  private final InstanceStrategy strategy;
  private volatile boolean closed;

  private SandboxedModule(PreparedModule<H> prepared, Lifecycle<H> lifecycle) {
    this.prepared = prepared;
    this.lifecycle = lifecycle;
    this.strategy =
        lifecycle instanceof SnapshotLifecycle ? InstanceStrategy.SNAPSHOT : InstanceStrategy.FRESH;
  }

  /** A builder for the module {@code spec} describes, with no host imports beyond WASI. */
  public static Builder<HostImports> builder(ModuleSpec spec) {
    return new Builder<>(spec, ctx -> HostImports.NONE);
  }

  /** The module's name. */
  public String name() {
    return prepared.name();
  }

  /** The parsed module (immutable): exports, custom sections... */
  public WasmModule module() {
    return prepared.module();
  }

  /** The module's limits. */
  public Limits limits() {
    return prepared.limits();
  }

  /**
   * The strategy in effect: the spec's, or {@link InstanceStrategy#FRESH} when a snapshot was asked
   * for but the module could not be snapshotted.
   */
  public InstanceStrategy strategy() {
    return strategy;
  }

  /** Whether the module exports a function called {@code name}. */
  public boolean exportsFunction(String name) {
    return prepared.exportedFunctions().contains(name);
  }

  /**
   * Runs one evaluation on the calling thread: gets an instance in the initialised state, puts
   * {@code stdin} on its stdin, and runs {@code call} on it, all under the module's deadline.
   *
   * @param stdin what the guest reads on stdin (not copied; do not change it during the call)
   * @return what {@code call} returned
   * @throws ModuleException a {@code ModuleException} thrown by {@code call} unchanged; else
   *     TIMEOUT (deadline passed, or the calling thread was interrupted), MEMORY_LIMIT (the guest
   *     failed after the memory limit refused to grow its memory), OUTPUT_LIMIT, EXIT_CODE ({@code
   *     proc_exit} with a non-zero code), TRAP (anything else the guest or a host function threw),
   *     CLOSED
   */
  public <R> R evaluate(byte[] stdin, GuestCall<H, R> call) {
    return evaluate(stdin, call, null);
  }

  /**
   * As {@link #evaluate(byte[], GuestCall)}, and calls {@code observer} with the guest's outputs
   * when the evaluation is over, whatever its outcome (for debug logging).
   */
  public <R> R evaluate(byte[] stdin, GuestCall<H, R> call, OutputObserver observer) {
    return evaluate(stdin, call, observer, NO_SECRET);
  }

  /**
   * As {@link #evaluate(byte[], GuestCall, OutputObserver)}, and the messages of the exceptions it
   * throws never contain the text {@code secret} supplies (e.g. the bearer token of the request
   * under review, which the guest may have repeated on stderr). {@code secret} is asked only when a
   * message is built, so a successful evaluation does not pay for finding it; it may supply null.
   */
  public <R> R evaluate(
      byte[] stdin, GuestCall<H, R> call, OutputObserver observer, Supplier<String> secret) {
    Objects.requireNonNull(stdin, "stdin");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(call, "call");
    if (closed) {
      throw new ModuleException(
          name(), FailureReason.CLOSED, "the module is closed; load it again to evaluate");
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new ModuleException(
          name(),
          FailureReason.TIMEOUT,
          "not started: the calling thread is interrupted (its interrupt flag is left set)");
    }
    Deadline deadline = DeadlineTimer.start(prepared.limits().timeout());
    GuestInstance<H> guest = null;
    R result = null;
    Throwable failure = null;
    boolean fired;
    try {
      guest = lifecycle.acquire();
      lifecycle.begin(guest, stdin);
      result = call.call(guest);
    } catch (RuntimeException | StackOverflowError e) {
      failure = e;
    } finally {
      fired = deadline.finish();
    }
    if (guest != null && observer != null) {
      observer.finished(guest.stdout(), guest.stderr(), failure == null);
    }
    if (failure == null) {
      if (fired || guest.broken()) {
        lifecycle.discard(guest);
      } else {
        lifecycle.release(guest);
      }
      return result;
    }
    ModuleException error = classify(failure, fired, guest, secret);
    if (guest != null) {
      lifecycle.discard(guest);
    }
    throw error;
  }

  private ModuleException classify(
      Throwable failure, boolean fired, GuestInstance<H> guest, Supplier<String> secret) {
    if (failure instanceof ModuleException && !fired) {
      return (ModuleException) failure;
    }
    TrackedMemory memory = guest == null ? null : guest.trackedMemory();
    return GuestFailures.classify(
        name(),
        failure,
        fired,
        prepared.limits(),
        guest == null ? NO_OUTPUT : guest.stderr(),
        memory == null ? -1 : memory.deniedGrowth(),
        secret.get());
  }

  /** Frees pooled instances. Evaluations running now complete; later ones fail with CLOSED. */
  @Override
  public void close() {
    closed = true;
    lifecycle.close();
  }

  /** The snapshot lifecycle's snapshot, or null (tests). */
  InstanceSnapshot snapshot() {
    return lifecycle instanceof SnapshotLifecycle
        ? ((SnapshotLifecycle<H>) lifecycle).snapshot()
        : null;
  }

  @Override
  public String toString() {
    return "SandboxedModule[" + name() + ", " + strategy + "]";
  }

  /**
   * Builds a {@link SandboxedModule}: reads, parses, checks and compiles the module, and under the
   * snapshot strategy initialises it and takes the snapshot.
   *
   * @param <H> the type of the per-instance host imports
   */
  public static final class Builder<H extends HostImports> {
    private final ModuleSpec spec;
    private final Function<GuestContext, H> hostImports;
    private Initializer<H> initializer = Initializer.reactor();
    private Initializer<H> warmUp;
    private List<String> arguments = List.of();
    private final List<ModuleCheck> checks = new ArrayList<>();
    private String contract = "module requirements of the k8s-wasm sandbox";
    private String remedy =
        "Export the memory as 'memory' and import nothing but functions of"
            + " wasi_snapshot_preview1 and of the host";
    private boolean requireMemoryExport = true;
    private int poolSize = InstancePool.defaultSize();

    private Builder(ModuleSpec spec, Function<GuestContext, H> hostImports) {
      this.spec = Objects.requireNonNull(spec, "spec");
      this.hostImports = hostImports;
    }

    /**
     * The host functions (beyond WASI) of each instance, with their per-instance state: {@code
     * factory} is called once per instance (and once at load, to learn the functions' names and
     * types). Replaces the initializer with the default ({@link Initializer#reactor()}) and drops
     * the {@link #warmUp warm-up}; set them afterwards.
     */
    public <T extends HostImports> Builder<T> hostImports(Function<GuestContext, T> factory) {
      Objects.requireNonNull(factory, "factory");
      Builder<T> b = new Builder<>(spec, factory);
      b.arguments = arguments;
      b.checks.addAll(checks);
      b.contract = contract;
      b.remedy = remedy;
      b.requireMemoryExport = requireMemoryExport;
      b.poolSize = poolSize;
      return b;
    }

    /**
     * What brings a new instance into its initial state (default: {@link Initializer#reactor()},
     * {@code _initialize} if exported). Under the snapshot strategy it runs once, at load.
     */
    public Builder<H> initializer(Initializer<H> initializer) {
      this.initializer = Objects.requireNonNull(initializer, "initializer");
      return this;
    }

    /**
     * Work that brings the initialised instance to its working state before the snapshot is taken
     * (snapshot strategy only; none by default): e.g. calls with synthetic input that carries no
     * request data, so that the guest's heap has grown and its caches are filled when the snapshot
     * is taken, and each evaluation does not redo that work. Every evaluation starts from the same
     * snapshot, so what the warm-up leaves in memory is seen by every evaluation alike, and nothing
     * of one evaluation by the next. Its outputs are discarded. When it fails (or times out, or
     * grows a table), the snapshot is taken from a new instance right after its initialisation.
     */
    public Builder<H> warmUp(Initializer<H> warmUp) {
      this.warmUp = Objects.requireNonNull(warmUp, "warmUp");
      return this;
    }

    /** The WASI arguments ({@code argv}, program name first); none by default. */
    public Builder<H> arguments(List<String> arguments) {
      this.arguments = List.copyOf(arguments);
      return this;
    }

    /** An additional load-time check, run before the sandbox's own; may be called many times. */
    public Builder<H> check(ModuleCheck check) {
      checks.add(Objects.requireNonNull(check, "check"));
      return this;
    }

    /**
     * How load errors name the rules a module broke and what to do, as in "cannot load X: it does
     * not fit the {@code contract}: problems. {@code remedy}".
     */
    public Builder<H> contract(String contract, String remedy) {
      this.contract = Objects.requireNonNull(contract, "contract");
      this.remedy = Objects.requireNonNull(remedy, "remedy");
      return this;
    }

    /** Whether the module must export its memory as {@code memory} (default true). */
    public Builder<H> requireMemoryExport(boolean required) {
      this.requireMemoryExport = required;
      return this;
    }

    /** How many idle instances the snapshot strategy keeps (default: 4 per CPU). */
    public Builder<H> poolSize(int poolSize) {
      if (poolSize < 1) {
        throw new IllegalArgumentException("poolSize must be positive, got " + poolSize);
      }
      this.poolSize = poolSize;
      return this;
    }

    /**
     * Loads the module.
     *
     * @throws ModuleException {@link FailureReason#LOAD_FAILED} when the module cannot be read, is
     *     not a valid WebAssembly module, breaks a check (all problems listed) or cannot be
     *     compiled
     */
    public SandboxedModule<H> build() {
      long start = System.nanoTime();
      byte[] bytes = ModuleSource.read(spec);
      Optional<CompileCache> cache =
          spec.engine() == Engine.COMPILER ? CompileCache.forSpec(spec) : Optional.empty();
      String key = cache.isPresent() ? CompileCache.key(bytes) : null;
      Optional<CompileCache.CachedTraits> cached = cache.flatMap(c -> c.traits(key));
      WasmModule module = cached.map(t -> fastParse(bytes, key, t)).orElse(null);
      boolean fast = module != null;
      if (!fast) {
        module = parse(bytes);
      }
      long parsed = System.nanoTime();
      Limits limits = spec.limits();
      List<HostFunction> hostFunctions = hostImports.apply(new ProbeContext(spec)).functions();
      List<String> problems = new ArrayList<>();
      MemoryLimits memory;
      ModuleTraits traits;
      try {
        for (ModuleCheck check : checks) {
          check.check(module, problems);
        }
        memory = ImportCheck.check(module, hostFunctions, requireMemoryExport, limits, problems);
        traits = fast ? cached.get().traits() : ModuleTraits.of(module);
      } catch (RuntimeException | AssertionError e) {
        throw LoadFailures.of(
            spec,
            "the module cannot be checked (" + e + ")",
            "The file may be corrupt; rebuild it with a standard toolchain",
            e);
      }
      if (!problems.isEmpty()) {
        throw LoadFailures.of(
            spec, "it does not fit the " + contract + ": " + String.join("; ", problems), remedy);
      }
      boolean shared = memory != null && memory.shared();
      long checked = System.nanoTime();
      Function<Instance, Machine> machines =
          fast ? Compilation.fromCache(module, cache.get()) : null;
      if (machines == null) {
        if (fast) {
          module = parse(bytes);
          traits = ModuleTraits.of(module);
        }
        boolean announce = spec.engine() == Engine.COMPILER && bytes.length >= PROGRESS_BYTES;
        long compileStart = System.nanoTime();
        if (announce) {
          PROGRESS.info(
              "module '{}': compiling {} MB of WebAssembly to JVM bytecode, which takes"
                  + " a few seconds",
              spec.name(),
              String.format(java.util.Locale.ROOT, "%.1f", bytes.length / 1e6));
        }
        machines = compile(module, cache);
        if (cache.isPresent()) {
          cache.get().putTraits(key, traits);
        }
        if (announce) {
          PROGRESS.info(
              "module '{}': compiled in {} s; {}",
              spec.name(),
              String.format(
                  java.util.Locale.ROOT, "%.1f", (System.nanoTime() - compileStart) / 1e9),
              cache.isPresent()
                  ? "cached in " + cache.get().directory() + ", so the next run starts at once"
                  : "the compile cache is off, so the next run compiles again");
        }
      }
      long compiled = System.nanoTime();
      PreparedModule<H> prepared =
          new PreparedModule<>(
              spec.name(),
              module,
              machines,
              memory,
              PreparedModule.boundedTables(limits),
              limits,
              hostImports,
              initializer,
              arguments,
              spec.clock(),
              spec.random(),
              exportedFunctions(module),
              !shared,
              traits);
      SandboxedModule<H> loaded = new SandboxedModule<>(prepared, lifecycle(prepared));
      if (LOG.isDebugEnabled()) {
        long ready = System.nanoTime();
        LOG.debug(
            "module '{}' loaded in {} ms: read and parse {} ms, checks {} ms, compile {} ms,"
                + " {} {} ms",
            spec.name(),
            millis(ready - start),
            millis(parsed - start),
            millis(checked - parsed),
            millis(compiled - checked),
            loaded.strategy() == InstanceStrategy.SNAPSHOT ? "initialise and snapshot" : "set up",
            millis(ready - compiled));
      }
      return loaded;
    }

    private static long millis(long nanos) {
      return nanos / 1_000_000;
    }

    private WasmModule parse(byte[] bytes) {
      return parse(spec, bytes);
    }

    /**
     * A module whose compiled code and traits are cached, parsed for loading from the cache:
     * without validation (it was validated before it was compiled; the entry is found by the digest
     * of its bytes) and with only the function bodies its compiled code runs in the interpreter.
     */
    private static WasmModule fastParse(
        byte[] bytes, String key, CompileCache.CachedTraits cached) {
      return cached.interpretedKnown()
          ? Compilation.parseWithoutCode(bytes, key, cached.interpretedFunctions())
          : Compilation.parseUnvalidated(bytes, key);
    }

    private static WasmModule parse(ModuleSpec spec, byte[] bytes) {
      try {
        return Parser.parse(bytes);
      } catch (ChicoryException e) {
        throw LoadFailures.of(
            spec,
            "invalid WebAssembly module: " + e.getMessage(),
            "The file may be truncated or corrupt, or use a feature Chicory does not support;"
                + " rebuild it with a standard toolchain (e.g. clang --target=wasm32-wasi)",
            e);
      } catch (RuntimeException | StackOverflowError | AssertionError e) {
        // Chicory's parser checks some invariants with assert, which -ea turns into errors.
        throw LoadFailures.of(
            spec,
            "invalid WebAssembly module (" + e + ")",
            "The file may be truncated or corrupt; rebuild it with a standard toolchain",
            e);
      }
    }

    private Function<Instance, Machine> compile(WasmModule module, Optional<CompileCache> cache) {
      try {
        return switch (spec.engine()) {
          case COMPILER -> Compilation.compile(spec.name(), module, cache);
          case INTERPRETER -> {
            int depth = spec.limits().maxCallDepth();
            yield instance -> new DepthLimitedInterpreterMachine(instance, depth);
          }
        };
      } catch (RuntimeException | StackOverflowError | LinkageError e) {
        throw LoadFailures.of(
            spec,
            "the module cannot be compiled (" + e + ")",
            "Load it with the interpreter (engine "
                + Engine.INTERPRETER
                + ") and report the problem",
            e);
      }
    }

    private static Set<String> exportedFunctions(WasmModule module) {
      Set<String> names = new LinkedHashSet<>();
      for (int i = 0; i < module.exportSection().exportCount(); i++) {
        Export export = module.exportSection().getExport(i);
        if (export.exportType() == ExternalType.FUNCTION) {
          names.add(export.name());
        }
      }
      return Set.copyOf(names);
    }

    private Lifecycle<H> lifecycle(PreparedModule<H> prepared) {
      if (spec.strategy() != InstanceStrategy.SNAPSHOT) {
        return new FreshLifecycle<>(prepared);
      }
      Optional<String> obstacle = prepared.traits().snapshotObstacle();
      if (obstacle.isEmpty() && !prepared.trackedMemory()) {
        obstacle = Optional.of("its memory is shared");
      }
      if (obstacle.isPresent()) {
        return fallback(prepared, "cannot be snapshotted: " + obstacle.get());
      }
      Attempt<H> initialised = attempt(prepared, null);
      if (initialised.failure() != null) {
        return fallback(prepared, "its initialisation failed (" + initialised.failure() + ")");
      }
      GuestInstance<H> guest = initialised.guest();
      if (warmUp != null && grownTable(guest.instance()) == null) {
        Attempt<H> warmed = attempt(prepared, guest);
        if (warmed.failure() == null && grownTable(guest.instance()) == null) {
          LOG.debug("module '{}': warmed up before the snapshot", prepared.name());
        } else {
          LOG.info(
              "module '{}': its warm-up failed ({}); the snapshot is taken right after its"
                  + " initialisation instead",
              prepared.name(),
              warmed.failure() == null ? "it grew a table" : warmed.failure());
          guest.close();
          initialised = attempt(prepared, null);
          if (initialised.failure() != null) {
            return fallback(prepared, "its initialisation failed (" + initialised.failure() + ")");
          }
          guest = initialised.guest();
        }
      }
      String grown = grownTable(guest.instance());
      if (grown != null) {
        guest.close();
        return fallback(prepared, "cannot be snapshotted: " + grown);
      }
      InstanceSnapshot snapshot = InstanceSnapshot.take(guest, prepared.traits().tablesMutable());
      LOG.debug(
          "module '{}': snapshot of the initialised instance taken ({} pages of memory)",
          prepared.name(),
          snapshot.memory() == null ? 0 : snapshot.memory().pages());
      return new SnapshotLifecycle<>(prepared, snapshot, guest, poolSize);
    }

    /** An initialised (or warmed-up) instance, or why there is none. */
    private record Attempt<H extends HostImports>(GuestInstance<H> guest, String failure) {}

    /**
     * Under the deadline: with {@code warm} null, a new instance, initialised; else runs the
     * warm-up on {@code warm}. A failed instance is closed.
     */
    private Attempt<H> attempt(PreparedModule<H> prepared, GuestInstance<H> warm) {
      GuestInstance<H> guest = warm;
      Throwable failure = null;
      Deadline deadline = DeadlineTimer.start(prepared.limits().timeout());
      boolean fired;
      try {
        if (warm == null) {
          guest = new GuestInstance<>(prepared);
          guest.initialize();
        } else {
          warm.beginEvaluation(NO_INPUT, false);
          warmUp.initialize(warm);
        }
      } catch (RuntimeException | StackOverflowError e) {
        failure = e;
      } finally {
        fired = deadline.finish();
      }
      if (failure == null && !fired) {
        if (warm != null) {
          warm.endEvaluation();
        }
        return new Attempt<>(guest, null);
      }
      String why =
          failure == null
              ? "it did not finish within the deadline"
              : GuestFailures.classify(
                      prepared.name(),
                      failure,
                      fired,
                      prepared.limits(),
                      guest == null ? NO_OUTPUT : guest.stderr(),
                      -1,
                      null)
                  .detail();
      if (guest != null && guest != warm) {
        guest.close();
      }
      return new Attempt<>(null, why);
    }

    private static String grownTable(Instance instance) {
      for (int t = 0; t < instance.tableCount(); t++) {
        TableInstance table = instance.table(t);
        if (table.size() != instance.module().tableSection().getTable(t).limits().min()) {
          return "its initialisation grew table " + t;
        }
      }
      return null;
    }

    private Lifecycle<H> fallback(PreparedModule<H> prepared, String why) {
      LOG.info(
          "module '{}' {}; using a fresh instance per evaluation instead of a snapshot",
          prepared.name(),
          why);
      return new FreshLifecycle<>(prepared);
    }
  }

  /** The context the host imports factory gets at load, to declare its functions. */
  private record ProbeContext(ModuleSpec spec) implements GuestContext {
    @Override
    public String moduleName() {
      return spec.name();
    }

    @Override
    public Limits limits() {
      return spec.limits();
    }

    @Override
    public GuestInput stdin() {
      return new GuestInput();
    }

    @Override
    public BoundedOutput stdout() {
      return new BoundedOutput("stdout", 1);
    }

    @Override
    public BoundedOutput stderr() {
      return new BoundedOutput("stderr", 1);
    }
  }
}
