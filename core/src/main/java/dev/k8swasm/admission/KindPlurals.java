package dev.k8swasm.admission;

import java.util.Locale;
import java.util.Map;

/**
 * Guesses the resource of a kind: lower case, plural ({@code Pod -> pods}, {@code Ingress ->
 * ingresses}, {@code NetworkPolicy -> networkpolicies}). Covers the built-in kinds; a custom
 * resource with an unusual plural names its resource explicitly.
 */
final class KindPlurals {
  /** Kinds whose resource does not follow the rules. */
  private static final Map<String, String> IRREGULAR =
      Map.of(
          "endpoints", "endpoints",
          "componentstatus", "componentstatuses",
          "podmetrics", "pods",
          "nodemetrics", "nodes");

  private KindPlurals() {}

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
    if (singular.length() > 1
        && singular.endsWith("y")
        && "aeiou".indexOf(singular.charAt(singular.length() - 2)) < 0) {
      return singular.substring(0, singular.length() - 1) + "ies";
    }
    return singular + "s";
  }
}
