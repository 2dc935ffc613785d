package dev.k8swasm.wasi.sandbox;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.MemorySection;
import dev.k8swasm.module.Limits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The sandbox's own checks of a module: it imports nothing but functions the host provides (WASI
 * preview 1 and the runtime's host functions, with matching signatures), exports its memory as
 * {@code memory} when required, has at most one memory, and its initial memory fits the limit.
 */
final class ImportCheck {
  private static final String MEMORY = "memory";

  private ImportCheck() {}

  /**
   * Adds the problems of {@code module} to {@code problems}.
   *
   * @return the memory limits instances get: the declared initial size and the smaller of the
   *     declared maximum and the configured limit; null when the module has no memory
   */
  static MemoryLimits check(
      WasmModule module,
      List<HostFunction> hostFunctions,
      boolean requireMemoryExport,
      Limits limits,
      List<String> problems) {
    checkImports(module, hostFunctions, problems);
    checkExportedFunctions(module, problems);
    if (requireMemoryExport) {
      checkMemoryExport(module, problems);
    }
    int count = module.memorySection().map(MemorySection::memoryCount).orElse(0);
    if (count > 1) {
      problems.add("it defines " + count + " memories; only one is supported");
    }
    return count == 0 ? null : memoryLimits(module, limits, problems);
  }

  private static void checkImports(
      WasmModule module, List<HostFunction> hostFunctions, List<String> problems) {
    Map<String, FunctionType> provided = new LinkedHashMap<>();
    Set<String> modules = new LinkedHashSet<>();
    modules.add(WasiFunctions.MODULE);
    for (HostFunction function : hostFunctions) {
      provided.put(function.module() + "." + function.name(), function.functionType());
      modules.add(function.module());
    }
    List<String> unknown = new ArrayList<>();
    for (int i = 0; i < module.importSection().importCount(); i++) {
      importProblem(module, module.importSection().getImport(i), provided).ifPresent(unknown::add);
    }
    if (!unknown.isEmpty()) {
      problems.add(
          "it imports what the host does not provide: "
              + String.join(", ", unknown)
              + " (only the functions of "
              + String.join(", ", modules)
              + " are available)");
    }
  }

  private static Optional<String> importProblem(
      WasmModule module, Import imported, Map<String, FunctionType> provided) {
    String name = imported.module() + "." + imported.name();
    if (imported.importType() != ExternalType.FUNCTION) {
      return Optional.of(name + " (" + describe(imported.importType()) + ")");
    }
    FunctionType type = module.typeSection().getType(((FunctionImport) imported).typeIndex());
    String described = name + " (function " + Signatures.describe(type);
    FunctionType host = provided.get(name);
    if (host != null) {
      return host.equals(type)
          ? Optional.empty()
          : Optional.of(described + "; the host declares " + Signatures.describe(host) + ")");
    }
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

  private static void checkExportedFunctions(WasmModule module, List<String> problems) {
    long functions =
        module.importSection().stream().filter(i -> i.importType() == ExternalType.FUNCTION).count()
            + module.functionSection().functionCount();
    for (int i = 0; i < module.exportSection().exportCount(); i++) {
      Export export = module.exportSection().getExport(i);
      if (export.exportType() == ExternalType.FUNCTION
          && (export.index() < 0 || export.index() >= functions)) {
        String problem =
            "its export '"
                + export.name()
                + "' refers to function "
                + export.index()
                + ", which does not exist";
        if (!problems.contains(problem)) {
          problems.add(problem);
        }
      }
    }
  }

  private static void checkMemoryExport(WasmModule module, List<String> problems) {
    Export memory = null;
    for (int i = 0; i < module.exportSection().exportCount(); i++) {
      Export export = module.exportSection().getExport(i);
      if (export.name().equals(MEMORY)) {
        memory = export;
      }
    }
    if (memory == null) {
      problems.add("it does not export its memory as 'memory'");
    } else if (memory.exportType() != ExternalType.MEMORY) {
      problems.add(
          "its export 'memory' is a " + describe(memory.exportType()) + ", not the memory");
    }
  }

  private static MemoryLimits memoryLimits(
      WasmModule module, Limits limits, List<String> problems) {
    int limit = limits.maxMemoryPages();
    MemoryLimits declared = module.memorySection().get().getMemory(0).limits();
    int initial = declared.initialPages();
    int max = Math.min(declared.maximumPages(), limit);
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
    return new MemoryLimits(initial, max, declared.shared());
  }

  private static String mebibytes(int pages) {
    return String.format(Locale.ROOT, "%.1f MiB", pages / 16.0);
  }

  static String describe(ExternalType type) {
    return type.name().toLowerCase(Locale.ROOT);
  }
}
