package dev.k8swasm.kubewarden;

import java.util.Locale;

/** What a policy's decision does (configuration key {@code policyMode}, as in policy-server). */
public enum PolicyMode {
  /** The decision is enforced (default). */
  PROTECT,
  /**
   * The decision is logged and the request is always allowed, without patch or status; warnings and
   * audit annotations are kept.
   */
  MONITOR;

  /**
   * {@code protect} or {@code monitor} (case-insensitive).
   *
   * @throws IllegalArgumentException for anything else
   */
  public static PolicyMode parse(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "protect" -> PROTECT;
      case "monitor" -> MONITOR;
      default ->
          throw new IllegalArgumentException(
              "unknown policy mode '" + name + "' (expected protect or monitor)");
    };
  }

  /** {@code protect} or {@code monitor}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
