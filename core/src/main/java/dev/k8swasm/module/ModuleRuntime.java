package dev.k8swasm.module;

/**
 * Service provider interface: loads modules of one {@link #type()}. Implementations are found with
 * {@link java.util.ServiceLoader} (see {@link ModuleRuntimes}); register one in {@code
 * META-INF/services/dev.k8swasm.module.ModuleRuntime}.
 */
public interface ModuleRuntime {

  /** The module type this runtime loads, e.g. {@link ModuleType#WASI}. */
  ModuleType type();

  /**
   * Loads, validates and prepares a module, so that it fails now rather than on its first request.
   *
   * @throws ModuleException with {@link FailureReason#LOAD_FAILED} or {@link
   *     FailureReason#INVALID_SETTINGS} when the module cannot be used
   */
  PolicyModule load(ModuleSpec spec);
}
