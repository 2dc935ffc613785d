package dev.k8swasm.kubewarden.metadata;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a Kubewarden policy talks to its host (metadata field {@code executionMode}). */
public enum ExecutionMode {
  /** waPC: the default; the host calls {@code __guest_call} on a long-lived instance. */
  KUBEWARDEN_WAPC("kubewarden-wapc"),
  /** A WASI command run once per evaluation: argv, stdin, stdout and {@code host.call}. */
  WASI("wasi"),
  /** Rego compiled with {@code opa build -t wasm} (not supported yet). */
  OPA("opa"),
  /** Gatekeeper constraint templates compiled to Wasm (not supported yet). */
  GATEKEEPER("gatekeeper");

  private final String wireName;

  ExecutionMode(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in metadata and configuration, e.g. {@code kubewarden-wapc}. */
  public String wireName() {
    return wireName;
  }

  /** Whether this host can run policies of this mode. */
  public boolean supported() {
    return this == KUBEWARDEN_WAPC || this == WASI;
  }

  /**
   * The mode called {@code name} ({@code kubewarden-wapc}, {@code wasi}, {@code opa}, {@code
   * gatekeeper}; case-insensitive).
   *
   * @throws IllegalArgumentException listing the accepted names
   */
  public static ExecutionMode parse(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (ExecutionMode mode : values()) {
      if (mode.wireName.equals(n)) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "unknown execution mode '"
            + name
            + "' (expected one of "
            + Arrays.stream(values()).map(m -> m.wireName).collect(Collectors.joining(", "))
            + ")");
  }

  @Override
  public String toString() {
    return wireName;
  }
}
