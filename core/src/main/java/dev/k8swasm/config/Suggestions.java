package dev.k8swasm.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" for misspelt field names: the closest known name by edit distance. */
final class Suggestions {
  private Suggestions() {}

  /**
   * The known name closest to {@code given}, if it is close enough to be a likely typo: at most a
   * third of its letters differ (at least one), ignoring case.
   */
  static Optional<String> didYouMean(String given, Collection<String> known) {
    int allowed = Math.max(1, given.length() / 3);
    return known.stream()
        .filter(k -> distance(given, k) <= allowed)
        .min(Comparator.comparingInt((String k) -> distance(given, k)).thenComparing(k -> k));
  }

  /** The Levenshtein distance of {@code a} and {@code b}, ignoring case. */
  static int distance(String a, String b) {
    String s = a.toLowerCase(Locale.ROOT);
    String t = b.toLowerCase(Locale.ROOT);
    int[] previous = new int[t.length() + 1];
    int[] current = new int[t.length() + 1];
    for (int j = 0; j <= t.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= s.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= t.length(); j++) {
        int substitution = previous[j - 1] + (s.charAt(i - 1) == t.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[t.length()];
  }
}
