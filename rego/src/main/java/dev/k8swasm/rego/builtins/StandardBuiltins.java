package dev.k8swasm.rego.builtins;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.admission.JsonPatches;
import dev.k8swasm.json.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The implementations behind {@link Builtins#standard}. */
final class StandardBuiltins {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final BigInteger NANOS = BigInteger.valueOf(1_000_000_000L);

  private StandardBuiltins() {}

  static Map<String, Builtin> all(Clock clock) {
    Map<String, Builtin> m = new HashMap<>();
    m.put(
        "sprintf",
        a -> {
          ArrayNode values = array(a, 1);
          JsonNode[] operands = new JsonNode[values.size()];
          for (int i = 0; i < operands.length; i++) {
            operands[i] = values.get(i);
          }
          return NODES.textNode(Sprintf.format(string(a, 0), operands));
        });
    m.put("trace", a -> BooleanNode.TRUE);
    // semver
    m.put(
        "semver.is_valid",
        a -> BooleanNode.valueOf(a[0].isTextual() && Semver.parse(a[0].textValue()) != null));
    m.put("semver.compare", a -> NODES.numberNode(Semver.compare(semver(a, 0), semver(a, 1))));
    // time
    m.put("time.now_ns", a -> NODES.numberNode(nanos(clock.instant())));
    m.put("time.parse_rfc3339_ns", a -> NODES.numberNode(parseRfc3339(string(a, 0))));
    m.put("time.parse_duration_ns", a -> NODES.numberNode(GoDuration.parse(string(a, 0))));
    m.put(
        "time.date",
        a -> {
          ZonedDateTime t = dateTime(a[0]);
          return ints(t.getYear(), t.getMonthValue(), t.getDayOfMonth());
        });
    m.put(
        "time.clock",
        a -> {
          ZonedDateTime t = dateTime(a[0]);
          return ints(t.getHour(), t.getMinute(), t.getSecond());
        });
    m.put(
        "time.weekday",
        a -> {
          DayOfWeek day = dateTime(a[0]).getDayOfWeek();
          return NODES.textNode(day.getDisplayName(TextStyle.FULL, Locale.ENGLISH));
        });
    m.put(
        "time.add_date",
        a -> {
          ZonedDateTime t = dateTime(a[0]);
          ZonedDateTime r =
              t.plusYears(integer(a, 1)).plusMonths(integer(a, 2)).plusDays(integer(a, 3));
          return NODES.numberNode(nanos(r.toInstant()));
        });
    // regex
    m.put(
        "regex.split",
        a -> {
          String[] parts = pattern(string(a, 0)).split(string(a, 1), -1);
          ArrayNode out = NODES.arrayNode();
          for (String p : parts) {
            out.add(p);
          }
          return out;
        });
    m.put(
        "regex.find_n",
        a -> {
          Matcher matcher = pattern(string(a, 0)).matcher(string(a, 1));
          long n = integer(a, 2);
          ArrayNode out = NODES.arrayNode();
          while ((n < 0 || out.size() < n) && matcher.find()) {
            out.add(matcher.group());
          }
          return out;
        });
    m.put(
        "regex.find_all_string_submatch_n",
        a -> {
          Matcher matcher = pattern(string(a, 0)).matcher(string(a, 1));
          long n = integer(a, 2);
          ArrayNode out = NODES.arrayNode();
          while ((n < 0 || out.size() < n) && matcher.find()) {
            ArrayNode groups = out.addArray();
            for (int g = 0; g <= matcher.groupCount(); g++) {
              groups.add(matcher.group(g) == null ? "" : matcher.group(g));
            }
          }
          return out;
        });
    m.put(
        "regex.template_match",
        a -> {
          String template = string(a, 0);
          String value = string(a, 1);
          String open = string(a, 2);
          String close = string(a, 3);
          return BooleanNode.valueOf(
              templatePattern(template, open, close).matcher(value).matches());
        });
    // json and yaml
    m.put(
        "json.is_valid",
        a -> {
          try {
            Json.reader().readTree(string(a, 0));
            return BooleanNode.TRUE;
          } catch (JsonProcessingException e) {
            return BooleanNode.FALSE;
          }
        });
    m.put(
        "json.patch",
        a -> {
          try {
            return JsonPatches.apply(a[1], a[0]);
          } catch (RuntimeException e) {
            return null;
          }
        });
    m.put(
        "yaml.marshal",
        a -> {
          try {
            return NODES.textNode(
                Json.yamlWriter().writeValueAsString(a[0]).replaceFirst("^---\\s*\\n", ""));
          } catch (JsonProcessingException e) {
            throw new BuiltinException("yaml.marshal: " + e.getOriginalMessage(), e);
          }
        });
    m.put(
        "yaml.unmarshal",
        a -> {
          try {
            JsonNode node = Json.yamlReader().readTree(string(a, 0));
            return node == null || node.isMissingNode() ? NODES.nullNode() : node;
          } catch (JsonProcessingException e) {
            throw new BuiltinException("yaml.unmarshal: " + e.getOriginalMessage(), e);
          }
        });
    m.put(
        "yaml.is_valid",
        a -> {
          try {
            Json.yamlReader().readTree(string(a, 0));
            return BooleanNode.TRUE;
          } catch (JsonProcessingException e) {
            return BooleanNode.FALSE;
          }
        });
    // encodings
    m.put(
        "base64url.encode_no_pad",
        a ->
            NODES.textNode(
                Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(string(a, 0).getBytes(StandardCharsets.UTF_8))));
    m.put(
        "hex.encode",
        a ->
            NODES.textNode(
                HexFormat.of().formatHex(string(a, 0).getBytes(StandardCharsets.UTF_8))));
    m.put(
        "hex.decode",
        a -> {
          try {
            return NODES.textNode(
                new String(HexFormat.of().parseHex(string(a, 0)), StandardCharsets.UTF_8));
          } catch (IllegalArgumentException e) {
            throw new BuiltinException("hex.decode: invalid hex string", e);
          }
        });
    m.put("urlquery.encode", a -> NODES.textNode(queryEscape(string(a, 0))));
    m.put(
        "urlquery.decode",
        a -> {
          try {
            return NODES.textNode(URLDecoder.decode(string(a, 0), StandardCharsets.UTF_8));
          } catch (IllegalArgumentException e) {
            throw new BuiltinException("urlquery.decode: " + e.getMessage(), e);
          }
        });
    m.put("urlquery.encode_object", a -> NODES.textNode(encodeObject(object(a, 0))));
    m.put("urlquery.decode_object", a -> decodeObject(string(a, 0)));
    m.put(
        "glob.quote_meta",
        a -> NODES.textNode(string(a, 0).replaceAll("([*?\\\\\\[\\]{}])", "\\\\$1")));
    m.put(
        "strings.replace_n",
        a -> {
          String s = string(a, 1);
          Iterator<Map.Entry<String, JsonNode>> it = object(a, 0).fields();
          while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
              throw new BuiltinException(
                  "strings.replace_n: operand 1 must be object[string: string]");
            }
            s = s.replace(e.getKey(), e.getValue().textValue());
          }
          return NODES.textNode(s);
        });
    // units
    m.put("units.parse_bytes", a -> NODES.numberNode(Units.parseBytes(string(a, 0))));
    m.put("units.parse", a -> NODES.numberNode(Units.parse(string(a, 0))));
    // net
    m.put("net.cidr_contains", a -> BooleanNode.valueOf(Cidr.contains(string(a, 0), string(a, 1))));
    return m;
  }

  // ---------------------------------------------------------------- argument helpers

  static String string(JsonNode[] a, int i) {
    JsonNode v = arg(a, i);
    if (!v.isTextual()) {
      throw new BuiltinException("operand " + (i + 1) + " must be string but got " + typeName(v));
    }
    return v.textValue();
  }

  private static ArrayNode array(JsonNode[] a, int i) {
    JsonNode v = arg(a, i);
    if (!v.isArray()) {
      throw new BuiltinException("operand " + (i + 1) + " must be array but got " + typeName(v));
    }
    return (ArrayNode) v;
  }

  private static ObjectNode object(JsonNode[] a, int i) {
    JsonNode v = arg(a, i);
    if (!v.isObject()) {
      throw new BuiltinException("operand " + (i + 1) + " must be object but got " + typeName(v));
    }
    return (ObjectNode) v;
  }

  private static long integer(JsonNode[] a, int i) {
    JsonNode v = arg(a, i);
    if (!v.isNumber()) {
      throw new BuiltinException("operand " + (i + 1) + " must be number but got " + typeName(v));
    }
    try {
      return v.decimalValue().longValueExact();
    } catch (ArithmeticException e) {
      throw new BuiltinException("operand " + (i + 1) + " must be an integer", e);
    }
  }

  private static JsonNode arg(JsonNode[] a, int i) {
    if (i >= a.length || a[i] == null) {
      throw new BuiltinException("missing operand " + (i + 1));
    }
    return a[i];
  }

  private static String typeName(JsonNode v) {
    if (v.isTextual()) {
      return "string";
    }
    if (v.isNumber()) {
      return "number";
    }
    if (v.isBoolean()) {
      return "boolean";
    }
    if (v.isArray()) {
      return "array";
    }
    if (v.isObject()) {
      return "object";
    }
    return "null";
  }

  private static ArrayNode ints(int... values) {
    ArrayNode out = NODES.arrayNode();
    for (int v : values) {
      out.add(v);
    }
    return out;
  }

  private static Semver semver(JsonNode[] a, int i) {
    String s = string(a, i);
    Semver v = Semver.parse(s);
    if (v == null) {
      throw new BuiltinException(
          "operand " + (i + 1) + ": string \"" + s + "\" is not a valid SemVer");
    }
    return v;
  }

  // ------------------------------------------------------------------- time

  static BigInteger nanos(Instant instant) {
    return BigInteger.valueOf(instant.getEpochSecond())
        .multiply(NANOS)
        .add(BigInteger.valueOf(instant.getNano()));
  }

  private static BigInteger parseRfc3339(String s) {
    try {
      return nanos(OffsetDateTime.parse(s).toInstant());
    } catch (DateTimeParseException e) {
      throw new BuiltinException("time.parse_rfc3339_ns: cannot parse \"" + s + "\"", e);
    }
  }

  private static ZonedDateTime dateTime(JsonNode v) {
    JsonNode ns = v;
    ZoneId zone = ZoneOffset.UTC;
    if (v.isArray()) {
      if (v.size() != 2 || !v.get(1).isTextual()) {
        throw new BuiltinException("operand 1 must be number or [number, string]");
      }
      ns = v.get(0);
      String tz = v.get(1).textValue();
      try {
        zone =
            tz.isEmpty() || tz.equals("UTC")
                ? ZoneOffset.UTC
                : ZoneId.of(tz.equals("Local") ? "UTC" : tz);
      } catch (RuntimeException e) {
        throw new BuiltinException("unknown time zone " + tz, e);
      }
    }
    if (!ns.isNumber()) {
      throw new BuiltinException("operand 1 must be number but got " + typeName(ns));
    }
    BigInteger[] parts = ns.decimalValue().toBigInteger().divideAndRemainder(NANOS);
    long seconds = parts[0].longValueExact();
    long nano = parts[1].longValue();
    if (nano < 0) {
      seconds--;
      nano += 1_000_000_000L;
    }
    return Instant.ofEpochSecond(seconds, nano).atZone(zone);
  }

  // ------------------------------------------------------------------- regex

  private static Pattern pattern(String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new BuiltinException("invalid regular expression: " + e.getDescription(), e);
    }
  }

  private static Pattern templatePattern(String template, String open, String close) {
    StringBuilder regex = new StringBuilder("^");
    int i = 0;
    while (i < template.length()) {
      int start = template.indexOf(open, i);
      if (start < 0) {
        regex.append(Pattern.quote(template.substring(i)));
        break;
      }
      int end = template.indexOf(close, start + open.length());
      if (end < 0) {
        throw new BuiltinException("regex.template_match: unbalanced delimiters in " + template);
      }
      regex.append(Pattern.quote(template.substring(i, start)));
      regex.append('(').append(template, start + open.length(), end).append(')');
      i = end + close.length();
    }
    try {
      return Pattern.compile(regex.append('$').toString());
    } catch (PatternSyntaxException e) {
      throw new BuiltinException(
          "invalid regular expression in template: " + e.getDescription(), e);
    }
  }

  // ------------------------------------------------------------------- urlquery

  private static String queryEscape(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String encodeObject(ObjectNode object) {
    StringBuilder b = new StringBuilder();
    java.util.TreeMap<String, JsonNode> sorted = new java.util.TreeMap<>();
    object.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
    sorted.forEach(
        (k, v) -> {
          Iterable<JsonNode> values = v.isArray() ? v : java.util.List.of(v);
          for (JsonNode value : values) {
            if (!value.isTextual()) {
              throw new BuiltinException("urlquery.encode_object: values must be strings");
            }
            if (b.length() > 0) {
              b.append('&');
            }
            b.append(queryEscape(k)).append('=').append(queryEscape(value.textValue()));
          }
        });
    return b.toString();
  }

  private static ObjectNode decodeObject(String query) {
    ObjectNode out = NODES.objectNode();
    for (String pair : query.split("[&;]")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      JsonNode existing = out.get(k);
      ArrayNode values = existing == null ? out.putArray(k) : (ArrayNode) existing;
      values.add(v);
    }
    return out;
  }

  // ------------------------------------------------------------------- helpers

  /** Semantic versions 2.0.0. */
  record Semver(long major, long minor, long patch, String[] pre) {
    private static final Pattern FORM =
        Pattern.compile(
            "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
                + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
                + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");

    static Semver parse(String s) {
      Matcher m = FORM.matcher(s);
      if (!m.matches()) {
        return null;
      }
      try {
        return new Semver(
            Long.parseLong(m.group(1)),
            Long.parseLong(m.group(2)),
            Long.parseLong(m.group(3)),
            m.group(4) == null ? new String[0] : m.group(4).split("\\."));
      } catch (NumberFormatException e) {
        return null;
      }
    }

    static int compare(Semver a, Semver b) {
      int c = Long.compare(a.major, b.major);
      if (c == 0) {
        c = Long.compare(a.minor, b.minor);
      }
      if (c == 0) {
        c = Long.compare(a.patch, b.patch);
      }
      if (c != 0) {
        return Integer.signum(c);
      }
      if (a.pre.length == 0 || b.pre.length == 0) {
        return a.pre.length == b.pre.length ? 0 : (a.pre.length == 0 ? 1 : -1);
      }
      for (int i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
        String x = a.pre[i];
        String y = b.pre[i];
        boolean xn = x.chars().allMatch(Character::isDigit);
        boolean yn = y.chars().allMatch(Character::isDigit);
        if (xn && yn) {
          c = new BigInteger(x).compareTo(new BigInteger(y));
        } else if (xn) {
          c = -1;
        } else if (yn) {
          c = 1;
        } else {
          c = x.compareTo(y);
        }
        if (c != 0) {
          return Integer.signum(c);
        }
      }
      return Integer.signum(Integer.compare(a.pre.length, b.pre.length));
    }
  }

  /** Go's {@code time.ParseDuration}. */
  static final class GoDuration {
    private static final Pattern PART =
        Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

    private GoDuration() {}

    static BigInteger parse(String s) {
      String rest = s;
      boolean negative = false;
      if (rest.startsWith("-") || rest.startsWith("+")) {
        negative = rest.startsWith("-");
        rest = rest.substring(1);
      }
      if (rest.equals("0")) {
        return BigInteger.ZERO;
      }
      if (rest.isEmpty()) {
        throw new BuiltinException("time: invalid duration \"" + s + "\"");
      }
      Matcher m = PART.matcher(rest);
      BigDecimal total = BigDecimal.ZERO;
      int pos = 0;
      while (pos < rest.length()) {
        if (!m.find(pos) || m.start() != pos) {
          throw new BuiltinException("time: invalid duration \"" + s + "\"");
        }
        BigDecimal unit =
            switch (m.group(2)) {
              case "ns" -> BigDecimal.ONE;
              case "us", "µs", "μs" -> BigDecimal.valueOf(1_000L);
              case "ms" -> BigDecimal.valueOf(1_000_000L);
              case "s" -> BigDecimal.valueOf(1_000_000_000L);
              case "m" -> BigDecimal.valueOf(60_000_000_000L);
              default -> BigDecimal.valueOf(3_600_000_000_000L);
            };
        total = total.add(new BigDecimal(m.group(1)).multiply(unit));
        pos = m.end();
      }
      BigInteger ns = total.toBigInteger();
      return negative ? ns.negate() : ns;
    }
  }

  /** {@code units.parse_bytes} and {@code units.parse}. */
  static final class Units {
    private static final Pattern FORM = Pattern.compile("^([0-9]*\\.?[0-9]*)([a-z]*)$");

    private Units() {}

    static BigInteger parseBytes(String s) {
      String n = s.replace("\"", "").toLowerCase(Locale.ROOT);
      Matcher m = FORM.matcher(n);
      if (!m.matches() || m.group(1).isEmpty() || m.group(1).equals(".")) {
        throw new BuiltinException("units.parse_bytes: could not parse byte amount \"" + s + "\"");
      }
      BigDecimal number = new BigDecimal(m.group(1));
      BigDecimal factor =
          switch (m.group(2)) {
            case "", "b" -> BigDecimal.ONE;
            case "k", "kb" -> BigDecimal.valueOf(1000L);
            case "ki", "kib" -> BigDecimal.valueOf(1L << 10);
            case "m", "mb" -> BigDecimal.valueOf(1000L * 1000);
            case "mi", "mib" -> BigDecimal.valueOf(1L << 20);
            case "g", "gb" -> BigDecimal.valueOf(1000L * 1000 * 1000);
            case "gi", "gib" -> BigDecimal.valueOf(1L << 30);
            case "t", "tb" -> BigDecimal.valueOf(1000L * 1000 * 1000 * 1000);
            case "ti", "tib" -> BigDecimal.valueOf(1L << 40);
            case "p", "pb" -> BigDecimal.valueOf(1000L * 1000 * 1000 * 1000 * 1000);
            case "pi", "pib" -> BigDecimal.valueOf(1L << 50);
            case "e", "eb" -> BigDecimal.valueOf(1000L * 1000 * 1000 * 1000 * 1000 * 1000);
            case "ei", "eib" -> BigDecimal.valueOf(1L << 60);
            default ->
                throw new BuiltinException(
                    "units.parse_bytes: byte unit " + m.group(2) + " not recognized");
          };
      return number.multiply(factor).toBigInteger();
    }

    static BigDecimal parse(String s) {
      String n = s.replace("\"", "");
      Matcher m = Pattern.compile("^([0-9]*\\.?[0-9]*)([a-zA-Z]*)$").matcher(n);
      if (!m.matches() || m.group(1).isEmpty() || m.group(1).equals(".")) {
        throw new BuiltinException("units.parse: could not parse amount \"" + s + "\"");
      }
      BigDecimal number = new BigDecimal(m.group(1));
      BigDecimal factor =
          switch (m.group(2)) {
            case "" -> BigDecimal.ONE;
            case "m" -> new BigDecimal("0.001");
            case "k", "K" -> BigDecimal.valueOf(1000L);
            case "ki", "Ki" -> BigDecimal.valueOf(1L << 10);
            case "M" -> BigDecimal.valueOf(1000L * 1000);
            case "mi", "Mi" -> BigDecimal.valueOf(1L << 20);
            case "g", "G" -> BigDecimal.valueOf(1000L * 1000 * 1000);
            case "gi", "Gi" -> BigDecimal.valueOf(1L << 30);
            case "t", "T" -> BigDecimal.valueOf(1000L * 1000 * 1000 * 1000);
            case "ti", "Ti" -> BigDecimal.valueOf(1L << 40);
            case "p", "P" -> BigDecimal.valueOf(1000L * 1000 * 1000 * 1000 * 1000);
            case "pi", "Pi" -> BigDecimal.valueOf(1L << 50);
            case "e", "E" -> BigDecimal.valueOf(1000L * 1000 * 1000 * 1000 * 1000 * 1000);
            case "ei", "Ei" -> BigDecimal.valueOf(1L << 60);
            default ->
                throw new BuiltinException("units.parse: unit " + m.group(2) + " not recognized");
          };
      BigDecimal result = number.multiply(factor);
      return result.stripTrailingZeros().scale() <= 0
          ? new BigDecimal(result.toBigInteger())
          : result.stripTrailingZeros();
    }
  }

  /** {@code net.cidr_contains}. */
  static final class Cidr {
    private Cidr() {}

    static boolean contains(String cidr, String what) {
      byte[][] net = parse(cidr, true);
      byte[][] other = parse(what, false);
      if (net[0].length != other[0].length) {
        return false;
      }
      int bits = net[1][0] & 0xFF | (net[1].length > 1 ? (net[1][1] & 0xFF) << 8 : 0);
      int otherBits = other[1][0] & 0xFF | (other[1].length > 1 ? (other[1][1] & 0xFF) << 8 : 0);
      if (otherBits < bits) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >>> (i % 8);
        if ((net[0][i / 8] & mask) != (other[0][i / 8] & mask)) {
          return false;
        }
      }
      return true;
    }

    /** [address bytes, prefix length as two little-endian bytes]. */
    private static byte[][] parse(String s, boolean mustBeCidr) {
      int slash = s.indexOf('/');
      if (slash < 0 && mustBeCidr) {
        throw new BuiltinException("net.cidr_contains: invalid CIDR \"" + s + "\"");
      }
      String address = slash < 0 ? s : s.substring(0, slash);
      if (!address.matches("[0-9a-fA-F:.]+")) {
        throw new BuiltinException("net.cidr_contains: invalid address \"" + s + "\"");
      }
      byte[] bytes;
      try {
        bytes = InetAddress.getByName(address).getAddress();
      } catch (UnknownHostException e) {
        throw new BuiltinException("net.cidr_contains: invalid address \"" + s + "\"", e);
      }
      int prefix;
      try {
        prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new BuiltinException("net.cidr_contains: invalid CIDR \"" + s + "\"", e);
      }
      if (prefix < 0 || prefix > bytes.length * 8) {
        throw new BuiltinException("net.cidr_contains: invalid CIDR \"" + s + "\"");
      }
      return new byte[][] {bytes, {(byte) prefix, (byte) (prefix >>> 8)}};
    }
  }
}
