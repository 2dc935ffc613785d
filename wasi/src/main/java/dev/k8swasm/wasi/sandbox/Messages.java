package dev.k8swasm.wasi.sandbox;

import dev.k8swasm.json.Redaction;
import java.time.Duration;
import java.util.Locale;

/** Turns guest-controlled text into safe message text: redacted, truncated and escaped. */
public final class Messages {
  /** How much of stderr goes into an exception message. */
  public static final int STDERR_CHARS = 1024;

  /** How much of unreadable stdout goes into an exception message. */
  public static final int PREVIEW_CHARS = 200;

  private Messages() {}

  /**
   * {@code text} with tokens redacted, cut to {@code maxChars} characters and control characters
   * escaped, so it fits on one line and cannot forge log lines.
   */
  public static String excerpt(String text, int maxChars) {
    return excerpt(text, maxChars, null);
  }

  /**
   * As {@link #excerpt(String, int)}, and every occurrence of {@code secret} (the bearer token
   * under review, or null) is removed before the text is cut, so no part of it survives.
   */
  public static String excerpt(String text, int maxChars, String secret) {
    String redacted = Redaction.redact(text, secret);
    if (redacted.length() <= maxChars) {
      return escape(redacted);
    }
    int cut = maxChars;
    if (Character.isHighSurrogate(redacted.charAt(cut - 1))) {
      cut--;
    }
    return escape(redacted.substring(0, cut))
        + "... ("
        + (redacted.length() - cut)
        + " more characters)";
  }

  /**
   * {@code "; stderr: ..."} with an excerpt of {@code stderr} without any occurrence of {@code
   * secret} (or null), or nothing when stderr is empty.
   */
  public static String stderrNote(BoundedOutput stderr, String secret) {
    return stderr.size() == 0 ? "" : "; stderr: " + excerpt(stderr.text(), STDERR_CHARS, secret);
  }

  /** A duration as people write it: {@code 200ms}, {@code 2s}, {@code 1.5s}. */
  public static String duration(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 1000) {
      return millis + "ms";
    }
    return millis % 1000 == 0
        ? (millis / 1000) + "s"
        : String.format(Locale.ROOT, "%.3fs", millis / 1000.0);
  }

  private static String escape(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement = replacement(c);
      if (replacement != null && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (replacement != null) {
          out.append(replacement);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  private static String replacement(char c) {
    return switch (c) {
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\t' -> "\\t";
      default ->
          c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029'
              ? String.format(Locale.ROOT, "\\u%04x", (int) c)
              : null;
    };
  }
}
