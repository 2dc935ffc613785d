package dev.k8swasm.wasi;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import dev.k8swasm.module.ReviewKind;
import dev.k8swasm.wasi.sandbox.Signatures;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks a parsed module against the WASI module contract's own rules: its entry points and its
 * {@code _initialize}. The sandbox checks imports and memory ({@link
 * dev.k8swasm.wasi.sandbox.SandboxedModule}); all problems are reported together.
 */
final class ContractCheck {
  private static final String START = "_start";

  /** How load errors name the contract. */
  static final String CONTRACT = "WASI module contract";

  /** What load errors advise. */
  static final String REMEDY =
      "See the module contract (spec/module-spec.md): export authn, authz and/or validate as"
          + " functions () -> (), export the memory as 'memory', and import nothing but"
          + " wasi_snapshot_preview1 functions";

  private final WasmModule module;
  private final Map<String, Export> exports = new LinkedHashMap<>();
  private final List<String> problems;

  private ContractCheck(WasmModule module, List<String> problems) {
    this.module = module;
    this.problems = problems;
    for (int i = 0; i < module.exportSection().exportCount(); i++) {
      Export export = module.exportSection().getExport(i);
      exports.put(export.name(), export);
    }
  }

  /** Checks {@code module}, adding what is wrong to {@code problems}; returns the entry points. */
  static ModuleShape check(WasmModule module, List<String> problems) {
    ContractCheck check = new ContractCheck(module, problems);
    Map<ReviewKind, String> entryPoints = check.entryPoints();
    boolean reactor = check.exports.containsKey(ModuleShape.INITIALIZE);
    if (reactor) {
      check.checkNullaryFunction(ModuleShape.INITIALIZE);
    }
    return new ModuleShape(entryPoints, reactor);
  }

  private Map<ReviewKind, String> entryPoints() {
    Map<ReviewKind, String> found = new EnumMap<>(ReviewKind.class);
    for (ReviewKind kind : ReviewKind.values()) {
      String name = ModuleShape.exportName(kind);
      if (exports.containsKey(name)) {
        checkNullaryFunction(name);
        found.put(kind, name);
      }
    }
    if (found.isEmpty()) {
      String problem =
          "it exports none of authn, authz, validate (its exports: " + exportList() + ")";
      if (exports.containsKey(START)) {
        problem +=
            "; it is a command module (it has a _start function), which the contract does not"
                + " support: build it as a reactor (clang: -mexec-model=reactor) that exports"
                + " authn, authz or validate";
      }
      problems.add(problem);
    }
    return found;
  }

  private String exportList() {
    if (exports.isEmpty()) {
      return "none";
    }
    return exports.values().stream()
        .map(e -> e.name() + " (" + describe(e.exportType()) + ")")
        .collect(Collectors.joining(", "));
  }

  private void checkNullaryFunction(String name) {
    Export export = exports.get(name);
    if (export.exportType() != ExternalType.FUNCTION) {
      problems.add(
          "its export '" + name + "' is a " + describe(export.exportType()) + ", not a function");
      return;
    }
    FunctionType type = functionType(export.index());
    if (type == null) {
      problems.add(
          "its export '"
              + name
              + "' refers to function "
              + export.index()
              + ", which does not exist");
      return;
    }
    if (!type.params().isEmpty() || !type.returns().isEmpty()) {
      problems.add(
          "its export '"
              + name
              + "' has type "
              + Signatures.describe(type)
              + " but must take no parameters and return nothing: () -> ()");
    }
  }

  /** The type of function {@code functionIndex}, or null when there is no such function. */
  private FunctionType functionType(long functionIndex) {
    List<FunctionImport> imported =
        module.importSection().stream()
            .filter(i -> i.importType() == ExternalType.FUNCTION)
            .map(FunctionImport.class::cast)
            .collect(Collectors.toList());
    long defined = functionIndex - imported.size();
    if (functionIndex < 0 || defined >= module.functionSection().functionCount()) {
      return null;
    }
    int typeIndex =
        defined < 0
            ? imported.get((int) functionIndex).typeIndex()
            : module.functionSection().getFunctionType((int) defined);
    return typeIndex >= 0 && typeIndex < module.typeSection().typeCount()
        ? module.typeSection().getType(typeIndex)
        : null;
  }

  private static String describe(ExternalType type) {
    return type.name().toLowerCase(Locale.ROOT);
  }
}
