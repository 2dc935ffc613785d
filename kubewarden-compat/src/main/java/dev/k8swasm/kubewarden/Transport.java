package dev.k8swasm.kubewarden;

import dev.k8swasm.kubewarden.metadata.ExecutionMode;

/**
 * How operations reach a loaded policy: waPC ({@link WapcTransport}) or WASI mode ({@link
 * WasiTransport}). Thread-safe.
 */
interface Transport extends AutoCloseable {

  /** {@code validate}. */
  String VALIDATE = "validate";

  /** {@code validate_settings}. */
  String VALIDATE_SETTINGS = "validate_settings";

  /** {@code protocol_version}. */
  String PROTOCOL_VERSION = "protocol_version";

  /**
   * Calls {@code operation} with {@code payload}.
   *
   * @return the policy's response bytes
   * @throws dev.k8swasm.module.ModuleException when the policy fails; its detail is the text
   *     Kubewarden reports after "internal server error: "
   */
  byte[] call(String operation, byte[] payload);

  /** The execution mode. */
  ExecutionMode mode();

  @Override
  void close();
}
