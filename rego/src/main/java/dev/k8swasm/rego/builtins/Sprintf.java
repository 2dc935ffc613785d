package dev.k8swasm.rego.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Rego's {@code sprintf(format, values)}: Go's {@code fmt.Sprintf} as OPA calls it. Integers are Go
 * integers, other numbers float64, strings strings, and every other value is passed as its Rego
 * text ({@code ["a", 1]}, {@code {"k": true}}, {@code null}). Verbs {@code v s q d b o x X c e E f
 * F g G t} and {@code %%} with flags {@code + - # 0 space}, width and precision; a verb that does
 * not fit its operand, a missing operand and extra operands are written as Go writes them ({@code
 * %!d(string=x)}, {@code %!v(MISSING)}, {@code %!(EXTRA string=x)}).
 */
final class Sprintf {
  private Sprintf() {}

  static String format(String format, JsonNode[] values) {
    StringBuilder out = new StringBuilder();
    int argIndex = 0;
    int i = 0;
    int n = format.length();
    while (i < n) {
      char c = format.charAt(i);
      if (c != '%') {
        out.append(c);
        i++;
        continue;
      }
      i++;
      if (i >= n) {
        out.append("%!(NOVERB)");
        break;
      }
      boolean plus = false;
      boolean minus = false;
      boolean sharp = false;
      boolean zero = false;
      boolean space = false;
      for (; i < n; i++) {
        char f = format.charAt(i);
        if (f == '+') {
          plus = true;
        } else if (f == '-') {
          minus = true;
        } else if (f == '#') {
          sharp = true;
        } else if (f == '0') {
          zero = true;
        } else if (f == ' ') {
          space = true;
        } else {
          break;
        }
      }
      int width = -1;
      int start = i;
      while (i < n && Character.isDigit(format.charAt(i))) {
        i++;
      }
      if (i > start) {
        width = Integer.parseInt(format.substring(start, i));
      }
      int precision = -1;
      if (i < n && format.charAt(i) == '.') {
        i++;
        start = i;
        while (i < n && Character.isDigit(format.charAt(i))) {
          i++;
        }
        precision = i > start ? Integer.parseInt(format.substring(start, i)) : 0;
      }
      if (i >= n) {
        out.append("%!(NOVERB)");
        break;
      }
      char verb = format.charAt(i++);
      if (verb == '%') {
        out.append('%');
        continue;
      }
      if (argIndex >= values.length) {
        out.append("%!").append(verb).append("(MISSING)");
        continue;
      }
      Spec spec = new Spec(plus, minus, sharp, zero, space, width, precision);
      out.append(formatOne(verb, values[argIndex++], spec));
    }
    if (argIndex < values.length) {
      out.append("%!(EXTRA ");
      for (int a = argIndex; a < values.length; a++) {
        if (a > argIndex) {
          out.append(", ");
        }
        Object v = operand(values[a]);
        out.append(goType(v)).append('=').append(plain(v));
      }
      out.append(')');
    }
    return out.toString();
  }

  private record Spec(
      boolean plus,
      boolean minus,
      boolean sharp,
      boolean zero,
      boolean space,
      int width,
      int precision) {}

  /** A Go operand: BigInteger (int), Double (float64) or String. */
  private static Object operand(JsonNode value) {
    if (value.isNumber()) {
      if (value.isIntegralNumber()) {
        return value.bigIntegerValue();
      }
      BigDecimal d = value.decimalValue();
      if (d.stripTrailingZeros().scale() <= 0) {
        try {
          return d.toBigIntegerExact();
        } catch (ArithmeticException e) {
          return value.doubleValue();
        }
      }
      return value.doubleValue();
    }
    if (value.isTextual()) {
      return value.textValue();
    }
    return regoText(value);
  }

  /** The Rego text of a value: JSON with ", " and ": " separators. */
  static String regoText(JsonNode value) {
    StringBuilder b = new StringBuilder();
    appendRego(b, value);
    return b.toString();
  }

  private static void appendRego(StringBuilder b, JsonNode value) {
    if (value.isArray()) {
      b.append('[');
      for (int i = 0; i < value.size(); i++) {
        if (i > 0) {
          b.append(", ");
        }
        appendRego(b, value.get(i));
      }
      b.append(']');
    } else if (value.isObject()) {
      b.append('{');
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      boolean first = true;
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> e = fields.next();
        if (!first) {
          b.append(", ");
        }
        first = false;
        b.append(quote(e.getKey())).append(": ");
        appendRego(b, e.getValue());
      }
      b.append('}');
    } else if (value.isTextual()) {
      b.append(quote(value.textValue()));
    } else {
      b.append(value.toString());
    }
  }

  private static String goType(Object v) {
    if (v instanceof BigInteger) {
      return "int";
    }
    if (v instanceof Double) {
      return "float64";
    }
    return "string";
  }

  private static String plain(Object v) {
    if (v instanceof Double d) {
      return goFloat(d, 'g', -1, false);
    }
    return v.toString();
  }

  private static String formatOne(char verb, JsonNode value, Spec spec) {
    Object v = operand(value);
    String body;
    if (v instanceof BigInteger i) {
      body = formatInt(verb, i, spec);
    } else if (v instanceof Double d) {
      body = formatFloat(verb, d, spec);
    } else {
      body = formatString(verb, (String) v, spec);
    }
    if (body == null) {
      return "%!" + verb + "(" + goType(v) + "=" + plain(v) + ")";
    }
    return pad(body, spec, !(v instanceof String));
  }

  private static String pad(String body, Spec spec, boolean numeric) {
    if (spec.width < 0 || body.length() >= spec.width) {
      return body;
    }
    int missing = spec.width - body.length();
    if (spec.minus) {
      return body + " ".repeat(missing);
    }
    if (spec.zero && numeric) {
      int sign = !body.isEmpty() && (body.charAt(0) == '-' || body.charAt(0) == '+') ? 1 : 0;
      return body.substring(0, sign) + "0".repeat(missing) + body.substring(sign);
    }
    return " ".repeat(missing) + body;
  }

  private static String sign(boolean negative, Spec spec) {
    if (negative) {
      return "-";
    }
    if (spec.plus) {
      return "+";
    }
    return spec.space ? " " : "";
  }

  private static String formatInt(char verb, BigInteger i, Spec spec) {
    BigInteger abs = i.abs();
    String digits;
    switch (verb) {
      case 'v', 'd' -> digits = abs.toString();
      case 'b' -> digits = abs.toString(2);
      case 'o' -> digits = (spec.sharp ? "0" : "") + abs.toString(8);
      case 'x' -> digits = (spec.sharp ? "0x" : "") + abs.toString(16);
      case 'X' -> digits = (spec.sharp ? "0X" : "") + abs.toString(16).toUpperCase(Locale.ROOT);
      case 'c' -> {
        return new String(Character.toChars(i.intValue()));
      }
      case 'q' -> {
        return "'" + new String(Character.toChars(i.intValue())) + "'";
      }
      case 'e', 'E', 'f', 'F', 'g', 'G' -> {
        return formatFloat(verb, i.doubleValue(), spec);
      }
      default -> {
        return null;
      }
    }
    if (spec.precision >= 0 && digits.length() < spec.precision) {
      digits = "0".repeat(spec.precision - digits.length()) + digits;
    }
    return sign(i.signum() < 0, spec) + digits;
  }

  private static String formatFloat(char verb, double d, Spec spec) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? sign(false, spec) + "Inf" : "-Inf";
    }
    boolean negative = d < 0 || (d == 0 && 1 / d < 0);
    double abs = Math.abs(d);
    String body =
        switch (verb) {
          case 'v' -> goFloat(abs, 'g', spec.precision, true);
          case 'g', 'G' -> goFloat(abs, 'g', spec.precision, false);
          case 'e', 'E' -> goFloat(abs, 'e', spec.precision < 0 ? 6 : spec.precision, false);
          case 'f', 'F' ->
              new BigDecimal(abs)
                  .setScale(
                      spec.precision < 0 ? 6 : spec.precision, java.math.RoundingMode.HALF_EVEN)
                  .toPlainString();
          default -> null;
        };
    if (body == null) {
      return null;
    }
    if (verb == 'E' || verb == 'G') {
      body = body.toUpperCase(Locale.ROOT);
    }
    return sign(negative, spec) + body;
  }

  /**
   * Go's {@code strconv.FormatFloat} for 'e' and 'g' with the shortest representation when {@code
   * precision} is negative ({@code forV}: the operand of %v, formatted as %g).
   */
  static String goFloat(double abs, char fmt, int precision, boolean forV) {
    BigDecimal value;
    if (precision < 0) {
      value = new BigDecimal(Double.toString(abs));
    } else {
      int digits = fmt == 'e' ? precision + 1 : Math.max(precision, 1);
      value =
          new BigDecimal(abs)
              .round(new java.math.MathContext(digits, java.math.RoundingMode.HALF_EVEN));
    }
    if (abs == 0) {
      value = BigDecimal.ZERO;
    }
    BigInteger unscaled = value.unscaledValue();
    String digits = unscaled.toString();
    int exp = digits.length() - 1 - value.scale();
    if (precision < 0 || fmt == 'g') {
      digits = digits.replaceFirst("0+$", "");
      if (digits.isEmpty()) {
        digits = "0";
      }
    }
    if (abs == 0) {
      exp = 0;
    }
    if (fmt == 'e') {
      if (precision >= 0) {
        while (digits.length() < precision + 1) {
          digits += "0";
        }
      }
      return sci(digits, exp);
    }
    int eprec = precision;
    if (eprec > digits.length() && digits.length() >= exp + 1) {
      eprec = digits.length();
    }
    if (precision < 0) {
      eprec = 6;
    }
    if (exp < -4 || exp >= eprec) {
      return sci(digits, exp);
    }
    if (exp < 0) {
      return "0." + "0".repeat(-exp - 1) + digits;
    }
    if (digits.length() <= exp + 1) {
      return digits + "0".repeat(exp + 1 - digits.length());
    }
    return digits.substring(0, exp + 1) + "." + digits.substring(exp + 1);
  }

  private static String sci(String digits, int exp) {
    String mantissa = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
    String e = String.valueOf(Math.abs(exp));
    return mantissa + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
  }

  private static String formatString(char verb, String s, Spec spec) {
    String body =
        switch (verb) {
          case 'v', 's' -> s;
          case 'q' -> quote(s);
          case 'x' -> hex(s, false);
          case 'X' -> hex(s, true);
          default -> null;
        };
    if (body != null && spec.precision >= 0 && (verb == 'v' || verb == 's')) {
      int cps = body.codePointCount(0, body.length());
      if (cps > spec.precision) {
        body = body.substring(0, body.offsetByCodePoints(0, spec.precision));
      }
    }
    return body;
  }

  private static String hex(String s, boolean upper) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      b.append(String.format(upper ? "%02X" : "%02x", x & 0xFF));
    }
    return b.toString();
  }

  /** Go's {@code strconv.Quote}, as far as JSON-safe strings go. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
