package dev.k8swasm.module;

import dev.k8swasm.source.ModuleReference;
import dev.k8swasm.source.ModuleSourceException;
import dev.k8swasm.source.ModuleSources;
import dev.k8swasm.source.ResolvedModule;
import dev.k8swasm.source.SourceOptions;
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

  /**
   * Loads {@code spec} with the runtime for its type: resolves a remote {@link ModuleSpec#source()}
   * (e.g. {@code registry://...}) to a local file with {@link ModuleSources}, using the spec's
   * {@link SourceOptions} extension (defaults when absent), then reads, validates and compiles the
   * module. The caller owns the returned module (thread-safe; close it, or the adapter or chain
   * holding it).
   *
   * @throws IllegalArgumentException when no runtime for the type is on the class path (naming the
   *     artifact to add)
   * @throws ModuleException when the module cannot be loaded, with reason {@code LOAD_FAILED} (also
   *     when the source cannot be resolved) or {@code INVALID_SETTINGS}
   */
  public static PolicyModule load(ModuleSpec spec) {
    ModuleRuntime runtime = forType(spec.type());
    return runtime.load(resolved(spec));
  }

  /**
   * {@code spec} with a remote source resolved to a local file (fetched when needed); {@code spec}
   * itself when it already has a file or bytes.
   *
   * @throws ModuleException with {@link FailureReason#LOAD_FAILED} when the source cannot be
   *     resolved
   */
  public static ModuleSpec resolved(ModuleSpec spec) {
    if (spec.path().isPresent() || spec.source().isEmpty()) {
      return spec;
    }
    ModuleReference reference = spec.source().get();
    SourceOptions options = spec.extension(SourceOptions.class).orElse(SourceOptions.defaults());
    ResolvedModule module;
    try {
      module = ModuleSources.resolve(reference, options);
    } catch (ModuleSourceException e) {
      throw new ModuleException(spec.name(), FailureReason.LOAD_FAILED, e.getMessage(), e);
    }
    return spec.toBuilder().source(module).build();
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
