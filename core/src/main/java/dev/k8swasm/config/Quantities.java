package dev.k8swasm.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses sizes and durations the way Kubernetes users write them: sizes as quantities ({@code
 * 64Mi}, {@code 512Ki}, {@code 1G}, {@code 1048576}) and durations as Go durations ({@code 2s},
 * {@code 500ms}, {@code 1m30s}).
 */
public final class Quantities {
  private static final Pattern QUANTITY =
      Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?");
  private static final Pattern DURATION_PART =
      Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h)");

  private Quantities() {}

  /**
   * Parses a byte quantity such as {@code 64Mi}.
   *
   * @throws IllegalArgumentException with a message showing accepted forms
   */
  public static long parseBytes(String text) {
    String s = text == null ? "" : text.trim();
    Matcher m = QUANTITY.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "invalid size '" + text + "': use a quantity such as 64Mi, 512Ki, 1Gi or 1048576");
    }
    BigDecimal value = new BigDecimal(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2);
    long factor =
        switch (unit) {
          case "Ki" -> 1L << 10;
          case "Mi" -> 1L << 20;
          case "Gi" -> 1L << 30;
          case "Ti" -> 1L << 40;
          case "k" -> 1_000L;
          case "M" -> 1_000_000L;
          case "G" -> 1_000_000_000L;
          case "T" -> 1_000_000_000_000L;
          default -> 1L;
        };
    BigDecimal bytes = value.multiply(BigDecimal.valueOf(factor));
    if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException("invalid size '" + text + "': too large");
    }
    return bytes.longValue();
  }

  /**
   * Parses a duration such as {@code 2s}, {@code 500ms} or {@code 1m30s}.
   *
   * @throws IllegalArgumentException with a message showing accepted forms
   */
  public static Duration parseDuration(String text) {
    String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    Matcher m = DURATION_PART.matcher(s);
    int at = 0;
    BigDecimal nanos = BigDecimal.ZERO;
    while (at < s.length() && m.find(at) && m.start() == at) {
      BigDecimal value = new BigDecimal(m.group(1));
      long unitNanos =
          switch (m.group(2)) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
          };
      nanos = nanos.add(value.multiply(BigDecimal.valueOf(unitNanos)));
      at = m.end();
    }
    if (s.isEmpty() || at != s.length()) {
      throw new IllegalArgumentException(
          "invalid duration '" + text + "': use a duration such as 2s, 500ms, 1m or 1m30s");
    }
    if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException("invalid duration '" + text + "': too long");
    }
    return Duration.ofNanos(nanos.longValue());
  }

  /**
   * Formats a duration the way {@link #parseDuration} reads it (e.g. {@code 2s}, {@code 500ms}).
   */
  public static String formatDuration(Duration d) {
    long nanos = d.toNanos();
    if (nanos % 1_000_000_000L == 0) {
      return nanos / 1_000_000_000L + "s";
    }
    if (nanos % 1_000_000L == 0) {
      return nanos / 1_000_000L + "ms";
    }
    if (nanos % 1_000L == 0) {
      return nanos / 1_000L + "us";
    }
    return nanos + "ns";
  }

  /** Formats a byte count as a binary quantity when exact (e.g. {@code 64Mi}), else plain bytes. */
  public static String formatBytes(long bytes) {
    String[] units = {"Ti", "Gi", "Mi", "Ki"};
    int[] shifts = {40, 30, 20, 10};
    for (int i = 0; i < units.length; i++) {
      long unit = 1L << shifts[i];
      if (bytes >= unit && bytes % unit == 0) {
        return bytes / unit + units[i];
      }
    }
    return Long.toString(bytes);
  }
}
