package dev.k8swasm.wasi;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.MemorySection;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.ReviewKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks a parsed module against the WASI module contract: its entry points, its imports and its
 * memory. Every problem found is reported at once.
 */
final class ContractCheck {
  private static final String MEMORY = "memory";
  private static final String START = "_start";

  private final ModuleSpec spec;
  private final WasmModule module;
  private final Map<String, Export> exports = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();

  private ContractCheck(ModuleSpec spec, WasmModule module) {
    this.spec = spec;
    this.module = module;
    for (int i = 0; i < module.exportSection().exportCount(); i++) {
      Export export = module.exportSection().getExport(i);
      exports.put(export.name(), export);
    }
  }

  /**
   * Checks {@code module}.
   *
   * @throws dev.k8swasm.module.ModuleException (LOAD_FAILED) listing every problem found
   */
  static ModuleShape check(ModuleSpec spec, WasmModule module) {
    return new ContractCheck(spec, module).run();
  }

  private ModuleShape run() {
    Map<ReviewKind, String> entryPoints = entryPoints();
    boolean reactor = exports.containsKey(ModuleShape.INITIALIZE);
    if (reactor) {
      checkNullaryFunction(ModuleShape.INITIALIZE);
    }
    checkImports();
    checkMemoryExport();
    MemoryLimits memory = memoryLimits();
    if (!problems.isEmpty()) {
      throw LoadFailures.of(
          spec,
          "it does not fit the WASI module contract: " + String.join("; ", problems),
          "See the module contract (spec/module-spec.md): export authn, authz and/or validate as"
              + " functions () -> (), export the memory as 'memory', and import nothing but"
              + " wasi_snapshot_preview1 functions");
    }
    return new ModuleShape(entryPoints, reactor, memory);
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
    if (!type.params().isEmpty() || !type.returns().isEmpty()) {
      problems.add(
          "its export '"
              + name
              + "' has type "
              + Signatures.describe(type)
              + " but must take no parameters and return nothing: () -> ()");
    }
  }

  private void checkImports() {
    List<String> unknown = new ArrayList<>();
    for (int i = 0; i < module.importSection().importCount(); i++) {
      importProblem(module.importSection().getImport(i)).ifPresent(unknown::add);
    }
    if (!unknown.isEmpty()) {
      problems.add(
          "it imports what the host does not provide: "
              + String.join(", ", unknown)
              + " (only the functions of "
              + WasiFunctions.MODULE
              + " are available)");
    }
  }

  private Optional<String> importProblem(Import imported) {
    String name = imported.module() + "." + imported.name();
    if (imported.importType() != ExternalType.FUNCTION) {
      return Optional.of(name + " (" + describe(imported.importType()) + ")");
    }
    FunctionType type = module.typeSection().getType(((FunctionImport) imported).typeIndex());
    String described = name + " (function " + Signatures.describe(type);
    if (!imported.module().equals(WasiFunctions.MODULE)) {
      return Optional.of(described + ")");
    }
    Optional<FunctionType> wasi = WasiFunctions.signature(imported.name());
    if (wasi.isEmpty()) {
      return Optional.of(described + "; not a WASI preview 1 function)");
    }
    if (!wasi.get().equals(type)) {
      return Optional.of(described + "; WASI declares " + Signatures.describe(wasi.get()) + ")");
    }
    return Optional.empty();
  }

  private void checkMemoryExport() {
    Export memory = exports.get(MEMORY);
    if (memory == null) {
      problems.add("it does not export its memory as 'memory'");
    } else if (memory.exportType() != ExternalType.MEMORY) {
      problems.add(
          "its export 'memory' is a " + describe(memory.exportType()) + ", not the memory");
    }
    int count = module.memorySection().map(MemorySection::memoryCount).orElse(0);
    if (count > 1) {
      problems.add("it defines " + count + " memories; only one is supported");
    }
  }

  private MemoryLimits memoryLimits() {
    Limits limits = spec.limits();
    int limit = limits.maxMemoryPages();
    Optional<MemoryLimits> declared =
        module.memorySection().filter(s -> s.memoryCount() > 0).map(s -> s.getMemory(0).limits());
    int initial = declared.map(MemoryLimits::initialPages).orElse(0);
    int max = Math.min(declared.map(MemoryLimits::maximumPages).orElse(limit), limit);
    if (initial > limit) {
      problems.add(
          "it declares an initial memory of "
              + initial
              + " pages ("
              + mebibytes(initial)
              + "), more than the memory limit of "
              + limit
              + " pages ("
              + mebibytes(limit)
              + "): raise the memory limit (Limits.maxMemoryBytes) or build the module with a"
              + " smaller initial memory");
      return new MemoryLimits(0, 0);
    }
    return new MemoryLimits(initial, max);
  }

  private FunctionType functionType(int functionIndex) {
    List<FunctionImport> imported =
        module.importSection().stream()
            .filter(i -> i.importType() == ExternalType.FUNCTION)
            .map(FunctionImport.class::cast)
            .collect(Collectors.toList());
    int typeIndex =
        functionIndex < imported.size()
            ? imported.get(functionIndex).typeIndex()
            : module.functionSection().getFunctionType(functionIndex - imported.size());
    return module.typeSection().getType(typeIndex);
  }

  private static String mebibytes(int pages) {
    return String.format(Locale.ROOT, "%.1f MiB", pages / 16.0);
  }

  private static String describe(ExternalType type) {
    return type.name().toLowerCase(Locale.ROOT);
  }
}
