package dev.k8swasm.json;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes bearer tokens from text before it is logged or put into a message.
 *
 * <p>The value of every {@code "token"} field (at any depth, whatever the whitespace, key escapes
 * such as {@code "\u0074oken"} or letter case) is replaced with {@code "<redacted>"}; so is the
 * credential after every {@code Bearer }. JSON embedded in JSON strings (escaped JSON) is redacted
 * too. The input does not have to be JSON: for text that is not (module stderr, truncated
 * documents), whatever follows a {@code "token":} on the same line is replaced, and the run of
 * non-blank characters after {@code Bearer } is replaced, so no token text survives.
 *
 * <p>Redaction never throws and is idempotent on valid JSON.
 */
public final class Redaction {
  /** What a redacted value is replaced with. */
  public static final String REDACTED = "<redacted>";

  private static final String REDACTED_LITERAL = "\"" + REDACTED + "\"";
  private static final String KEY = "token";
  private static final int MAX_NESTING = 8;

  /** A {@code "token":} key in raw text, also when its quotes are escaped ({@code \"token\":}). */
  private static final Pattern RAW_KEY =
      Pattern.compile("\\\\*\"token\\\\*\"\\s*:\\s*", Pattern.CASE_INSENSITIVE);

  /** A value that is already redacted, possibly with escaped quotes. */
  private static final Pattern RAW_REDACTED = Pattern.compile("\\\\*\"" + Pattern.quote(REDACTED));

  /** {@code Bearer} and the credential after it (up to a blank, a quote or a backslash). */
  private static final Pattern BEARER =
      Pattern.compile("(bearer\\s+)([^\\s\"\\\\]+)", Pattern.CASE_INSENSITIVE);

  private Redaction() {}

  /** Redacts {@code text}; see the class description. */
  public static String redact(String text) {
    Objects.requireNonNull(text, "text");
    return redact(text, 0);
  }

  /** The shortest secret {@link #redact(String, String)} replaces wherever it occurs. */
  public static final int MIN_SECRET_LENGTH = 6;

  /**
   * Redacts {@code text} as {@link #redact(String)} does and also replaces every occurrence of
   * {@code secret} (e.g. the bearer token of the request under review, which a module may have
   * repeated bare, without a {@code "token"} key or {@code Bearer} in front). Secrets shorter than
   * {@link #MIN_SECRET_LENGTH} characters are not replaced on their own, as replacing every
   * occurrence of a few characters would garble messages without protecting anything real.
   */
  public static String redact(String text, String secret) {
    String redacted = redact(text);
    if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
      return redacted;
    }
    return redacted.replace(secret, REDACTED);
  }

  /** Decodes {@code utf8} (malformed bytes become U+FFFD) and redacts it. */
  public static String redact(byte[] utf8) {
    Objects.requireNonNull(utf8, "utf8");
    return redact(new String(utf8, StandardCharsets.UTF_8), 0);
  }

  private static String redact(String text, int nesting) {
    if (!mightHoldSecret(text)) {
      return text;
    }
    return redactRawBearer(redactRawKeys(redactStructure(text, nesting)));
  }

  private static boolean mightHoldSecret(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    return lower.contains(KEY) || lower.contains("bearer") || text.contains("\\u");
  }

  /** Walks the string literals of {@code text}, redacting token values and nested JSON. */
  private static String redactStructure(String text, int nesting) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c != '"') {
        out.append(c);
        i++;
        continue;
      }
      Literal literal = Literal.read(text, i);
      int colon = skipBlanks(text, literal.end);
      if (literal.decoded.equalsIgnoreCase(KEY) && colon < n && text.charAt(colon) == ':') {
        int value = skipBlanks(text, colon + 1);
        out.append(text, i, value).append(REDACTED_LITERAL);
        i = endOfValue(text, value);
        continue;
      }
      String inner = nesting < MAX_NESTING ? redact(literal.decoded, nesting + 1) : literal.decoded;
      if (inner.equals(literal.decoded)) {
        out.append(text, i, literal.end);
      } else {
        appendLiteral(out, inner, literal.terminated);
      }
      i = literal.end;
    }
    return out.toString();
  }

  /** Safety net for text that is not JSON: a {@code "token":} not followed by a redacted value. */
  private static String redactRawKeys(String text) {
    Matcher key = RAW_KEY.matcher(text);
    if (!key.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    int from = 0;
    Matcher redacted = RAW_REDACTED.matcher(text);
    while (from <= text.length() && key.find(from)) {
      int value = key.end();
      if (redacted.region(value, text.length()).lookingAt()) {
        from = redacted.end();
        continue;
      }
      int eol = endOfLine(text, value);
      out.append(text, copied, value).append(REDACTED_LITERAL);
      copied = eol;
      from = eol;
    }
    return out.append(text, Math.min(copied, text.length()), text.length()).toString();
  }

  private static String redactRawBearer(String text) {
    Matcher bearer = BEARER.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    while (bearer.find()) {
      if (!bearer.group(2).equals(REDACTED)) {
        out.append(text, copied, bearer.start(2)).append(REDACTED);
        copied = bearer.end(2);
      }
    }
    return copied == 0 ? text : out.append(text, copied, text.length()).toString();
  }

  private static int skipBlanks(String text, int i) {
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int endOfLine(String text, int i) {
    while (i < text.length() && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
      i++;
    }
    return i;
  }

  /** The end of the JSON value starting at {@code i}, tolerating truncated or invalid input. */
  private static int endOfValue(String text, int i) {
    int n = text.length();
    if (i >= n) {
      return n;
    }
    char c = text.charAt(i);
    if (c == '"') {
      return Literal.read(text, i).end;
    }
    if (c == '{' || c == '[') {
      int depth = 0;
      while (i < n) {
        char d = text.charAt(i);
        if (d == '"') {
          i = Literal.read(text, i).end;
          continue;
        }
        if (d == '{' || d == '[') {
          depth++;
        } else if ((d == '}' || d == ']') && --depth == 0) {
          return i + 1;
        }
        i++;
      }
      return n;
    }
    while (i < n && ",}]\n\r".indexOf(text.charAt(i)) < 0) {
      i++;
    }
    return i;
  }

  private static void appendLiteral(StringBuilder out, String value, boolean terminated) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    if (terminated) {
      out.append('"');
    }
  }

  /** A JSON string literal: where it ends and what it says. */
  private record Literal(int end, String decoded, boolean terminated) {

    /** Reads the literal whose opening quote is at {@code start}; unterminated runs to the end. */
    static Literal read(String text, int start) {
      StringBuilder decoded = new StringBuilder();
      int n = text.length();
      int i = start + 1;
      while (i < n) {
        char c = text.charAt(i);
        if (c == '"') {
          return new Literal(i + 1, decoded.toString(), true);
        }
        if (c != '\\' || i + 1 >= n) {
          decoded.append(c);
          i++;
          continue;
        }
        char e = text.charAt(i + 1);
        i += 2;
        switch (e) {
          case '"', '\\', '/' -> decoded.append(e);
          case 'b' -> decoded.append('\b');
          case 'f' -> decoded.append('\f');
          case 'n' -> decoded.append('\n');
          case 'r' -> decoded.append('\r');
          case 't' -> decoded.append('\t');
          case 'u' -> {
            int code = hex4(text, i);
            if (code >= 0) {
              decoded.append((char) code);
              i += 4;
            } else {
              decoded.append("\\u");
            }
          }
          default -> decoded.append('\\').append(e);
        }
      }
      return new Literal(n, decoded.toString(), false);
    }

    private static int hex4(String text, int i) {
      if (i + 4 > text.length()) {
        return -1;
      }
      int code = 0;
      for (int k = i; k < i + 4; k++) {
        int digit = Character.digit(text.charAt(k), 16);
        if (digit < 0) {
          return -1;
        }
        code = code * 16 + digit;
      }
      return code;
    }
  }
}
