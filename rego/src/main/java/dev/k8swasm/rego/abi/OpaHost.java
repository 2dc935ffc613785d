package dev.k8swasm.rego.abi;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.rego.builtins.Builtin;
import dev.k8swasm.rego.builtins.BuiltinException;
import dev.k8swasm.wasi.sandbox.GuestContext;
import dev.k8swasm.wasi.sandbox.HostImports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The host side of OPA's Wasm ABI for one instance: {@code env.opa_abort}, {@code env.opa_println}
 * and {@code env.opa_builtin0..4}. Built-in calls dump their arguments to JSON with the module's
 * {@code opa_json_dump}, call the Java {@link Builtin} and parse its result back with {@code
 * opa_malloc} and {@code opa_json_parse}.
 */
public final class OpaHost implements HostImports {
  /** The module OPA's imports live in. */
  public static final String MODULE = "env";

  private static final int MAX_MESSAGE = 4096;

  private final GuestContext context;
  private final Supplier<Map<Integer, NamedBuiltin>> builtins;

  /**
   * @param context the instance's context (stderr receives {@code opa_println} lines)
   * @param builtins the module's built-ins by the ids its {@code builtins} export gave them; asked
   *     on each call
   */
  public OpaHost(GuestContext context, Supplier<Map<Integer, NamedBuiltin>> builtins) {
    this.context = context;
    this.builtins = builtins;
  }

  /** A built-in with the name the module knows it by. */
  public record NamedBuiltin(String name, Builtin builtin) {}

  @Override
  public List<HostFunction> functions() {
    List<HostFunction> functions = new ArrayList<>();
    functions.add(
        new HostFunction(
            MODULE,
            "opa_abort",
            FunctionType.of(List.of(ValType.I32), List.of()),
            (instance, args) -> {
              abort(instance, (int) args[0]);
              return null;
            }));
    functions.add(
        new HostFunction(
            MODULE,
            "opa_println",
            FunctionType.of(List.of(ValType.I32), List.of()),
            (instance, args) -> {
              byte[] line = message(instance, (int) args[0]);
              context.stderr().write(line, 0, line.length);
              context.stderr().write('\n');
              return null;
            }));
    for (int arity = 0; arity <= 4; arity++) {
      List<ValType> params = new ArrayList<>(Collections.nCopies(arity + 2, ValType.I32));
      int n = arity;
      functions.add(
          new HostFunction(
              MODULE,
              "opa_builtin" + arity,
              FunctionType.of(params, List.of(ValType.I32)),
              (instance, args) -> new long[] {builtin(instance, n, args)}));
    }
    return functions;
  }

  private void abort(Instance instance, int addr) {
    String message = new String(message(instance, addr), StandardCharsets.UTF_8);
    if (message.contains("malloc")
        && instance.memory().pages() >= instance.memory().maximumPages()) {
      // let the sandbox report the memory limit it refused
      throw new IllegalStateException("opa_abort: " + message);
    }
    throw new ModuleException(
        context.moduleName(), FailureReason.MODULE_ERROR, "opa_abort: " + message);
  }

  private byte[] message(Instance instance, int addr) {
    try {
      return OpaMemory.cString(context.moduleName(), instance.memory(), addr, MAX_MESSAGE);
    } catch (ModuleException e) {
      return ("(unreadable message: " + e.detail() + ")").getBytes(StandardCharsets.UTF_8);
    }
  }

  private int builtin(Instance instance, int arity, long[] args) {
    int id = (int) args[0];
    NamedBuiltin named = builtins.get().get(id);
    if (named == null) {
      throw new ModuleException(
          context.moduleName(),
          FailureReason.MODULE_ERROR,
          "the module called built-in function " + id + ", which it did not declare");
    }
    JsonNode[] values = new JsonNode[arity];
    long max = context.limits().maxRequestBytes();
    for (int i = 0; i < arity; i++) {
      byte[] json = OpaMemory.dumpJson(context.moduleName(), instance, (int) args[2 + i], max);
      try {
        values[i] = Json.reader().readTree(json);
      } catch (IOException e) {
        throw new ModuleException(
            context.moduleName(),
            FailureReason.BAD_OUTPUT,
            "argument " + (i + 1) + " of " + named.name() + " is not JSON: " + e.getMessage(),
            e);
      }
    }
    JsonNode result;
    try {
      result = named.builtin().call(values);
    } catch (BuiltinException e) {
      throw new ModuleException(
          context.moduleName(),
          FailureReason.MODULE_ERROR,
          named.name() + ": " + e.getMessage(),
          e);
    }
    if (result == null) {
      return 0;
    }
    return OpaMemory.loadJson(
        context.moduleName(), instance, Json.write(result), "the result of " + named.name());
  }
}
