package dev.k8swasm.module;

import java.util.List;
import java.util.Map;
import java.util.Objects;
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
  public static ModuleRuntime forType(ModuleType type) {
    Objects.requireNonNull(type, "type");
    ModuleRuntime runtime = all().get(type.name());
    if (runtime == null) {
      String hint =
          type.equals(ModuleType.WASI)
              ? " (add dev.k8swasm:k8s-wasm-wasi to the class path)"
              : type.equals(ModuleType.KUBEWARDEN)
                  ? " (add dev.k8swasm:k8s-wasm-kubewarden-compat to the class path)"
                  : "";
      throw new IllegalArgumentException(
          "no runtime for module type '" + type + "'" + hint + "; available: " + all().keySet());
    }
    return runtime;
  }

  /** Loads {@code spec} with the runtime for its type. */
  public static PolicyModule load(ModuleSpec spec) {
    return forType(spec.type()).load(spec);
  }

  /** The module types available, ordered by name. */
  public static List<ModuleType> types() {
    return all().keySet().stream().map(ModuleType::of).toList();
  }

  private static Map<String, ModuleRuntime> all() {
    Map<String, ModuleRuntime> found = cache;
    if (found == null) {
      found =
          ServiceLoader.load(ModuleRuntime.class, ModuleRuntimes.class.getClassLoader()).stream()
              .map(ServiceLoader.Provider::get)
              .collect(Collectors.toMap(r -> r.type().name(), r -> r, (a, b) -> a, TreeMap::new));
      cache = found;
    }
    return found;
  }
}
