package dev.k8swasm.module;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Finds {@link ModuleRuntime}s on the class path or module path by module type. */
public final class ModuleRuntimes {
  private static volatile Map<String, ModuleRuntime> cache;

  private ModuleRuntimes() {}

  /**
   * The runtime for {@code type}.
   *
   * @throws IllegalArgumentException naming the artifact to add when none is available
   */
  public static ModuleRuntime forType(String type) {
    ModuleRuntime runtime = all().get(type);
    if (runtime == null) {
      String hint =
          switch (type) {
            case ModuleSpec.TYPE_WASI -> " (add dev.k8swasm:k8s-wasm-wasi to the class path)";
            case ModuleSpec.TYPE_KUBEWARDEN ->
                " (add dev.k8swasm:k8s-wasm-kubewarden-compat to the class path)";
            default -> "";
          };
      throw new IllegalArgumentException(
          "no runtime for module type '" + type + "'" + hint + "; available: " + all().keySet());
    }
    return runtime;
  }

  /**
   * Loads {@code spec} with the runtime for its type: reads, validates and compiles the module. The
   * caller owns the returned module (thread-safe; close it, or the adapter or chain holding it).
   *
   * @throws IllegalArgumentException when no runtime for the type is on the class path (naming the
   *     artifact to add)
   * @throws ModuleException when the module cannot be loaded, with reason {@code LOAD_FAILED} or
   *     {@code INVALID_SETTINGS}
   */
  public static PolicyModule load(ModuleSpec spec) {
    return forType(spec.type()).load(spec);
  }

  /** The module types available. */
  public static List<String> types() {
    return List.copyOf(all().keySet());
  }

  private static Map<String, ModuleRuntime> all() {
    Map<String, ModuleRuntime> found = cache;
    if (found == null) {
      found =
          ServiceLoader.load(ModuleRuntime.class, ModuleRuntimes.class.getClassLoader()).stream()
              .map(ServiceLoader.Provider::get)
              .collect(Collectors.toMap(ModuleRuntime::type, r -> r, (a, b) -> a, TreeMap::new));
      cache = found;
    }
    return found;
  }
}
