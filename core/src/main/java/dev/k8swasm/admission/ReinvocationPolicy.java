package dev.k8swasm.admission;

import java.util.Locale;

/** Whether a mutator runs again when a later mutator changed the object. */
public enum ReinvocationPolicy {
  /** Run once (default). */
  NEVER,
  /** Run once more if a later mutator changed the object (mutators must be idempotent). */
  IF_NEEDED;

  /**
   * Parses {@code Never} or {@code IfNeeded} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static ReinvocationPolicy parse(String text) {
    return switch (text == null ? "" : text.trim().toLowerCase(Locale.ROOT)) {
      case "never" -> NEVER;
      case "ifneeded", "if_needed" -> IF_NEEDED;
      default ->
          throw new IllegalArgumentException(
              "unknown reinvocationPolicy '" + text + "': use Never or IfNeeded");
    };
  }
}
