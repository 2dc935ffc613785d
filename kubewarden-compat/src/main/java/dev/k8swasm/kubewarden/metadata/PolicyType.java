package dev.k8swasm.kubewarden.metadata;

import java.util.Locale;

/** What a policy validates (metadata field {@code policyType}). */
public enum PolicyType {
  /** Kubernetes AdmissionRequests (default). */
  KUBERNETES,
  /** Any JSON document ("raw" policies). */
  RAW;

  /**
   * {@code kubernetes} or {@code raw} (case-insensitive).
   *
   * @throws IllegalArgumentException for anything else
   */
  public static PolicyType parse(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "kubernetes" -> KUBERNETES;
      case "raw" -> RAW;
      default ->
          throw new IllegalArgumentException(
              "unknown policy type '" + name + "' (expected kubernetes or raw)");
    };
  }

  /** {@code kubernetes} or {@code raw}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
