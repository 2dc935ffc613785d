package dev.k8swasm.kubewarden;

import dev.k8swasm.kubewarden.metadata.ExecutionMode;
import dev.k8swasm.module.ModuleSpec;

/**
 * Service provider interface: runs Kubewarden policies of the execution modes this module does not
 * run itself ({@link ExecutionMode#OPA} and {@link ExecutionMode#GATEKEEPER}). {@link
 * KubewardenPolicy} finds providers with {@link java.util.ServiceLoader}; the artifact {@code
 * dev.k8swasm:k8s-wasm-rego} registers one in {@code
 * META-INF/services/dev.k8swasm.kubewarden.ExecutionModeProvider}. Everything around the policy
 * (metadata, settings, monitor mode, the AdmissionResponse built from the policy's answer) stays
 * with {@link KubewardenPolicy}.
 */
public interface ExecutionModeProvider {

  /** Whether this provider runs policies of {@code mode}. */
  boolean runs(ExecutionMode mode);

  /**
   * Loads the policy {@code spec} describes, to run in {@code mode} with the settings of {@code
   * spec}.
   *
   * @throws dev.k8swasm.module.ModuleException LOAD_FAILED when it cannot be run
   */
  Operations load(ModuleSpec spec, ExecutionMode mode);

  /**
   * Kubewarden's operations on a loaded policy, with waPC's payloads and answers: {@code validate}
   * gets {@code {"request": ..., "settings": ...}} and answers a ValidationResponse, {@code
   * validate_settings} answers {@code {"valid": ..., "message": ...}}. Thread-safe.
   */
  interface Operations extends AutoCloseable {

    /**
     * Calls {@code operation} with {@code payload}.
     *
     * @return the JSON answer
     * @throws dev.k8swasm.module.ModuleException when the policy fails (its detail is what
     *     Kubewarden reports after "internal server error: "), UNSUPPORTED for an operation the
     *     mode does not have
     */
    byte[] call(String operation, byte[] payload);

    @Override
    void close();
  }
}
