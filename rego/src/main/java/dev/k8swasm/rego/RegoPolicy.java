package dev.k8swasm.rego;

import com.dylibso.chicory.runtime.GlobalInstance;
import com.dylibso.chicory.runtime.Instance;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.rego.abi.ImportedMemory;
import dev.k8swasm.rego.abi.OpaHost;
import dev.k8swasm.rego.abi.OpaHost.NamedBuiltin;
import dev.k8swasm.rego.abi.OpaMemory;
import dev.k8swasm.rego.builtins.Builtin;
import dev.k8swasm.rego.builtins.Builtins;
import dev.k8swasm.wasi.sandbox.Guest;
import dev.k8swasm.wasi.sandbox.LoadFailures;
import dev.k8swasm.wasi.sandbox.SandboxedModule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A Rego policy compiled to WebAssembly ({@code opa build -t wasm}), loaded into the k8s-wasm
 * sandbox with its {@code data} document: evaluates an entrypoint on an {@code input} document and
 * returns OPA's result set ({@code [{"result": ...}]}, empty when the entrypoint is undefined).
 *
 * <p>It implements OPA's Wasm ABI (1.x): {@code opa_eval} in one call where the module has it (ABI
 * 1.2 and later), else the {@code opa_eval_ctx_*} calls; the host functions {@code opa_abort},
 * {@code opa_println} (to the evaluation's stderr) and {@code opa_builtin0..4}, answered by {@link
 * Builtins}. A module that needs a built-in function the host lacks fails at load ("builtin X is
 * not supported"). The sandbox's limits hold as for every module: deadline, memory (the memory the
 * module imports is created by the sandbox, bounded by {@link Limits#maxMemoryBytes()}), result
 * size ({@link Limits#maxOutputBytes()}), input size ({@link Limits#maxRequestBytes()}). Each
 * evaluation starts from the state right after {@code data} was loaded: under the snapshot strategy
 * (the default) that state is snapshotted once at load and restored for every evaluation.
 *
 * <p>Thread-safe; close it to free pooled instances.
 */
public final class RegoPolicy implements AutoCloseable {
  private static final byte[] NO_STDIN = new byte[0];

  private final String name;
  private final Limits limits;
  private final SandboxedModule<OpaHost> sandbox;
  private final State state;

  private RegoPolicy(String name, Limits limits, SandboxedModule<OpaHost> sandbox, State state) {
    this.name = name;
    this.limits = limits;
    this.sandbox = sandbox;
    this.state = state;
  }

  /** A builder for the compiled policy {@code spec} describes (module, limits, engine, clock). */
  public static Builder builder(ModuleSpec spec) {
    return new Builder(spec);
  }

  /** The policy's name (the spec's). */
  public String name() {
    return name;
  }

  /** The module's entrypoints: name ({@code package/rule}, e.g. {@code policy/violation}) to id. */
  public Map<String, Integer> entrypoints() {
    return state.entrypoints;
  }

  /** The built-in functions the module imports from the host, sorted. */
  public List<String> requiredBuiltins() {
    return state.required;
  }

  /** The module's OPA Wasm ABI version, e.g. {@code 1.2}. */
  public String abiVersion() {
    return state.abiVersion;
  }

  /** The instance strategy in effect (see {@link SandboxedModule#strategy()}). */
  public InstanceStrategy strategy() {
    return sandbox.strategy();
  }

  /**
   * The id of the entrypoint called {@code entrypoint}.
   *
   * @throws IllegalArgumentException naming the module's entrypoints when it has no such one
   */
  public int entrypointId(String entrypoint) {
    Integer id = state.entrypoints.get(entrypoint);
    if (id == null) {
      throw new IllegalArgumentException(
          "module '"
              + name
              + "' has no entrypoint '"
              + entrypoint
              + "' (it has "
              + String.join(", ", new TreeSet<>(state.entrypoints.keySet()))
              + ")");
    }
    return id;
  }

  /**
   * Evaluates the entrypoint called {@code entrypoint} on {@code input}.
   *
   * @return the result set, e.g. {@code [{"result": true}]}
   * @throws IllegalArgumentException when the module has no such entrypoint
   * @throws ModuleException as {@link #evaluate(int, byte[])}
   */
  public JsonNode evaluate(String entrypoint, JsonNode input) {
    Objects.requireNonNull(input, "input");
    return evaluate(entrypointId(entrypoint), Json.write(input));
  }

  /**
   * Evaluates entrypoint {@code entrypoint} on the JSON document {@code input}.
   *
   * @return the result set
   * @throws ModuleException BAD_REQUEST (input too large or rejected by the module's parser),
   *     MODULE_ERROR ({@code opa_abort}, e.g. a conflict between rule values, or a failing
   *     built-in), OUTPUT_LIMIT (result larger than {@link Limits#maxOutputBytes()}), BAD_OUTPUT,
   *     TIMEOUT, MEMORY_LIMIT, TRAP, CLOSED
   */
  public JsonNode evaluate(int entrypoint, byte[] input) {
    Objects.requireNonNull(input, "input");
    if (input.length > limits.maxRequestBytes()) {
      throw new ModuleException(
          name,
          FailureReason.BAD_REQUEST,
          "the input is "
              + input.length
              + " bytes, more than the limit of "
              + limits.maxRequestBytes()
              + " bytes (Limits.maxRequestBytes)");
    }
    if (!state.entrypoints.containsValue(entrypoint)) {
      throw new IllegalArgumentException(
          "module '" + name + "' has no entrypoint " + entrypoint + " (" + state.entrypoints + ")");
    }
    byte[] result = sandbox.evaluate(NO_STDIN, guest -> run(guest, entrypoint, input));
    try {
      JsonNode node = Json.reader().readTree(result);
      if (node == null || !node.isArray()) {
        throw new ModuleException(
            name, FailureReason.BAD_OUTPUT, "the module's result set is not a JSON array");
      }
      return node;
    } catch (IOException e) {
      throw new ModuleException(
          name, FailureReason.BAD_OUTPUT, "the module's result is not JSON: " + e.getMessage(), e);
    }
  }

  private byte[] run(Guest<OpaHost> guest, int entrypoint, byte[] input) {
    Instance instance = guest.instance();
    long max = limits.maxOutputBytes();
    guest.call("opa_heap_ptr_set", state.heapAfterData);
    if (state.fastPath) {
      int inputAddr = OpaMemory.malloc(instance, input.length);
      instance.memory().write(inputAddr, input);
      int heap = OpaMemory.call(instance, "opa_heap_ptr_get");
      long[] out =
          guest.call("opa_eval", 0, entrypoint, state.dataAddr, inputAddr, input.length, heap, 0);
      return OpaMemory.cString(name, instance.memory(), (int) out[0], max);
    }
    int inputValue = OpaMemory.loadJson(name, instance, input, "the input");
    int ctx = (int) guest.call("opa_eval_ctx_new")[0];
    guest.call("opa_eval_ctx_set_input", ctx, inputValue);
    guest.call("opa_eval_ctx_set_data", ctx, state.dataAddr);
    guest.call("opa_eval_ctx_set_entrypoint", ctx, entrypoint);
    long[] code = guest.call("eval", ctx);
    if (code != null && code.length > 0 && code[0] != 0) {
      throw new ModuleException(
          name, FailureReason.MODULE_ERROR, "eval returned error code " + code[0]);
    }
    int resultValue = (int) guest.call("opa_eval_ctx_get_result", ctx)[0];
    return OpaMemory.dumpJson(name, instance, resultValue, max);
  }

  @Override
  public void close() {
    sandbox.close();
  }

  @Override
  public String toString() {
    return "RegoPolicy[" + name + ", ABI " + state.abiVersion + ", " + state.entrypoints + "]";
  }

  /** What initialisation learns about the module; the same for every instance. */
  private static final class State {
    private final String name;
    private final byte[] data;
    private final Builtins builtins;
    private volatile Map<Integer, NamedBuiltin> byId = Map.of();
    private volatile Map<String, Integer> entrypoints = Map.of();
    private volatile List<String> required = List.of();
    private volatile List<String> unsupported = List.of();
    private volatile String abiVersion = "?";
    private volatile boolean fastPath;
    private volatile int dataAddr;
    private volatile int heapAfterData;

    State(String name, byte[] data, Builtins builtins) {
      this.name = name;
      this.data = data;
      this.builtins = builtins;
    }

    void initialize(Guest<OpaHost> guest) {
      Instance instance = guest.instance();
      Map<String, Integer> declared = idMap(instance, (int) guest.call("builtins")[0]);
      Map<Integer, NamedBuiltin> ids = new LinkedHashMap<>();
      List<String> missing = new ArrayList<>();
      for (Map.Entry<String, Integer> e : declared.entrySet()) {
        Optional<Builtin> builtin = builtins.find(e.getKey());
        if (builtin.isPresent()) {
          ids.put(e.getValue(), new NamedBuiltin(e.getKey(), builtin.get()));
        } else {
          missing.add(e.getKey());
        }
      }
      Collections.sort(missing);
      List<String> names = new ArrayList<>(declared.keySet());
      Collections.sort(names);
      byId = Map.copyOf(ids);
      required = List.copyOf(names);
      unsupported = List.copyOf(missing);
      entrypoints =
          Collections.unmodifiableMap(idMap(instance, (int) guest.call("entrypoints")[0]));
      int major = global(instance, "opa_wasm_abi_version", 1);
      int minor = global(instance, "opa_wasm_abi_minor_version", 0);
      abiVersion = major + "." + minor;
      fastPath = guest.exports("opa_eval");
      dataAddr = OpaMemory.loadJson(name, instance, data, "the data document");
      heapAfterData = OpaMemory.call(instance, "opa_heap_ptr_get");
    }

    private Map<String, Integer> idMap(Instance instance, int addr) {
      byte[] json = OpaMemory.dumpJson(name, instance, addr, 1 << 20);
      Map<String, Integer> out = new LinkedHashMap<>();
      try {
        JsonNode node = Json.reader().readTree(json);
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> e = fields.next();
          out.put(e.getKey(), e.getValue().asInt());
        }
      } catch (IOException e) {
        throw new ModuleException(
            name,
            FailureReason.BAD_OUTPUT,
            "the module's built-in or entrypoint table is not JSON");
      }
      return out;
    }

    private static int global(Instance instance, String export, int fallback) {
      try {
        GlobalInstance global = instance.exports().global(export);
        return global == null ? fallback : (int) global.getValue();
      } catch (RuntimeException e) {
        return fallback;
      }
    }
  }

  /** Builds a {@link RegoPolicy}. */
  public static final class Builder {
    private final ModuleSpec spec;
    private JsonNode data = JsonNodeFactory.instance.objectNode();
    private Builtins builtins;

    private Builder(ModuleSpec spec) {
      this.spec = Objects.requireNonNull(spec, "spec");
    }

    /** The {@code data} document (default {@code {}}), loaded once. */
    public Builder data(JsonNode data) {
      this.data = Objects.requireNonNull(data, "data");
      return this;
    }

    /** The built-in functions offered (default: {@link Builtins#standard} on the spec's clock). */
    public Builder builtins(Builtins builtins) {
      this.builtins = Objects.requireNonNull(builtins, "builtins");
      return this;
    }

    /**
     * Loads the policy: rewrites its imported memory into one the sandbox owns, compiles it,
     * instantiates it, loads {@code data} and (snapshot strategy) snapshots that state.
     *
     * @throws ModuleException LOAD_FAILED when the module cannot be read, is not an OPA Wasm
     *     module, needs a built-in that is not supported, or cannot load its data
     */
    public RegoPolicy build() {
      byte[] bytes = read(spec);
      byte[] rewritten;
      try {
        rewritten = ImportedMemory.define(bytes);
      } catch (IllegalArgumentException e) {
        throw LoadFailures.of(
            spec,
            "not an OPA Wasm module: " + e.getMessage(),
            "Build it with opa build -t wasm",
            e);
      }
      Builtins offered = builtins != null ? builtins : Builtins.standard(spec.clock());
      State state = new State(spec.name(), Json.write(data), offered);
      ModuleSpec sandboxSpec = spec.toBuilder().bytes(rewritten).build();
      SandboxedModule<OpaHost> sandbox =
          SandboxedModule.builder(sandboxSpec)
              .hostImports(ctx -> new OpaHost(ctx, () -> state.byId))
              .initializer(state::initialize)
              .contract(
                  "OPA Wasm ABI (opa build -t wasm)",
                  "Build the policy with opa build -t wasm; it may import only env.memory,"
                      + " env.opa_abort, env.opa_println and env.opa_builtin0..4")
              .check(
                  (module, problems) -> {
                    for (String export :
                        List.of(
                            "opa_malloc",
                            "opa_json_parse",
                            "opa_json_dump",
                            "opa_heap_ptr_get",
                            "opa_heap_ptr_set",
                            "builtins",
                            "entrypoints")) {
                      boolean found = false;
                      for (int i = 0; i < module.exportSection().exportCount(); i++) {
                        found |= module.exportSection().getExport(i).name().equals(export);
                      }
                      if (!found) {
                        problems.add("it does not export " + export);
                      }
                    }
                  })
              .build();
      try {
        // under the fresh strategy this runs the initialisation once, to learn the tables
        sandbox.evaluate(NO_STDIN, guest -> null);
      } catch (ModuleException e) {
        sandbox.close();
        throw LoadFailures.of(
            spec,
            "the policy cannot be initialised with its data: " + e.detail(),
            "Check the data document (Kubewarden: the settings)",
            e);
      }
      if (!state.unsupported.isEmpty()) {
        sandbox.close();
        throw LoadFailures.of(
            spec,
            (state.unsupported.size() == 1 ? "builtin " : "builtins ")
                + String.join(", ", state.unsupported)
                + (state.unsupported.size() == 1 ? " is" : " are")
                + " not supported",
            "Supported built-ins beyond those compiled into the module: "
                + String.join(", ", offered.names()));
      }
      return new RegoPolicy(spec.name(), spec.limits(), sandbox, state);
    }

    private static byte[] read(ModuleSpec spec) {
      long max = spec.limits().maxModuleBytes();
      if (spec.path().isEmpty()) {
        byte[] bytes =
            spec.bytes()
                .orElseThrow(
                    () ->
                        LoadFailures.of(
                            spec,
                            "the module is not resolved to a file or bytes",
                            "Load it with ModuleRuntimes.load, which fetches registry:// and"
                                + " https:// modules first"));
        checkSize(spec, bytes.length, max);
        return bytes;
      }
      try (InputStream in = Files.newInputStream(spec.path().get())) {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        checkSize(spec, bytes.length, max);
        return bytes;
      } catch (IOException e) {
        throw LoadFailures.of(
            spec, "cannot read the module: " + e, "Check the module path and its permissions", e);
      }
    }

    private static void checkSize(ModuleSpec spec, long size, long max) {
      if (size > max) {
        throw LoadFailures.of(
            spec,
            "the module is larger than " + max + " bytes",
            "Raise the module size limit (Limits.maxModuleBytes) or use a smaller module");
      }
    }
  }
}
