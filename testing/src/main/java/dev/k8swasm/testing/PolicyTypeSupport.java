package dev.k8swasm.testing;

import dev.k8swasm.module.ModuleType;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Prepares the policies of one module type that {@link WasmPolicy} loads, for instance by giving
 * Kubewarden policies stubbed host capabilities. Found with {@link ServiceLoader}; the testing
 * module provides one for {@code kubewarden} (in {@code dev.k8swasm.testing.kubewarden}).
 */
public interface PolicyTypeSupport {

  /** The module type ({@link WasmPolicy#type()}) whose policies this prepares. */
  ModuleType type();

  /**
   * Prepares {@code builder}, which will load the policy {@code declaration} names.
   *
   * @throws IllegalArgumentException when the declaration asks for what this type cannot give
   */
  Policy.Builder prepare(Policy.Builder builder, WasmPolicy declaration);

  /**
   * The support for {@code type} found with {@link ServiceLoader}, or {@code null} when there is
   * none (or it cannot be loaded because an optional dependency is missing).
   */
  static PolicyTypeSupport find(ModuleType type) {
    try {
      for (PolicyTypeSupport s :
          ServiceLoader.load(PolicyTypeSupport.class, PolicyTypeSupport.class.getClassLoader())) {
        if (s.type().equals(type)) {
          return s;
        }
      }
    } catch (ServiceConfigurationError | LinkageError e) {
      return null;
    }
    return null;
  }
}
