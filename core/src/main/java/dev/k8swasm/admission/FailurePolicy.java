package dev.k8swasm.admission;

import java.util.Locale;

/** What a module's failure (trap, timeout, bad output...) means for admission. */
public enum FailurePolicy {
  /** Deny the request with code 500 and a message naming the module (default). */
  FAIL,
  /** Skip the module, adding a warning to the response. */
  IGNORE;

  /**
   * Parses {@code Fail} or {@code Ignore} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static FailurePolicy parse(String text) {
    return switch (text == null ? "" : text.trim().toLowerCase(Locale.ROOT)) {
      case "fail" -> FAIL;
      case "ignore" -> IGNORE;
      default ->
          throw new IllegalArgumentException(
              "unknown failurePolicy '" + text + "': use Fail or Ignore");
    };
  }
}
