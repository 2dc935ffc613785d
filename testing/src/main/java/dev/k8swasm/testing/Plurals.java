package dev.k8swasm.testing;

import java.util.Locale;
import java.util.Map;

/**
 * Guesses the resource name of a kind: lower case, plural. Covers the built-in kinds; a custom
 * resource with an unusual plural should name its resource explicitly.
 */
final class Plurals {
  /** Kinds whose resource does not follow the rules. */
  private static final Map<String, String> IRREGULAR =
      Map.of(
          "endpoints", "endpoints",
          "componentstatus", "componentstatuses",
          "podmetrics", "pods",
          "nodemetrics", "nodes");

  private Plurals() {}

  /**
   * {@code Pod -> pods}, {@code Ingress -> ingresses}, {@code NetworkPolicy -> networkpolicies}.
   */
  static String resourceOf(String kind) {
    String singular = kind.toLowerCase(Locale.ROOT);
    String irregular = IRREGULAR.get(singular);
    if (irregular != null) {
      return irregular;
    }
    if (singular.endsWith("s")
        || singular.endsWith("x")
        || singular.endsWith("z")
        || singular.endsWith("ch")
        || singular.endsWith("sh")) {
      return singular + "es";
    }
    if (singular.endsWith("y")
        && singular.length() > 1
        && !isVowel(singular.charAt(singular.length() - 2))) {
      return singular.substring(0, singular.length() - 1) + "ies";
    }
    return singular + "s";
  }

  private static boolean isVowel(char c) {
    return "aeiou".indexOf(c) >= 0;
  }
}
