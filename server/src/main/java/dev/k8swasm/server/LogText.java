package dev.k8swasm.server;

/**
 * Makes text from clients and modules safe for one log line: every control character (C0, DEL, C1),
 * and the line and paragraph separators U+2028 and U+2029, becomes a visible escape ({@code \n},
 * {@code \r}, {@code \t}, {@code \x1b}, {@code \u2028}...), so a request cannot forge log lines or
 * drive a terminal.
 */
final class LogText {
  private LogText() {}

  /** {@code text} with control characters escaped (and backslashes doubled); null stays null. */
  static String escape(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String r = replacement(c);
      if (r != null && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (r != null) {
          out.append(r);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  private static String replacement(char c) {
    return switch (c) {
      case '\\' -> "\\\\";
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\t' -> "\\t";
      default -> {
        if (c < 0x20 || c == 0x7f) {
          yield String.format("\\x%02x", (int) c);
        }
        if ((c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029') {
          yield String.format("\\u%04x", (int) c);
        }
        yield null;
      }
    };
  }
}
