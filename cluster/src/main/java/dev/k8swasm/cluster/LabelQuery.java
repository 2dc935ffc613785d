package dev.k8swasm.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector in its string form, as {@code kubectl -l} and the API's {@code
 * labelSelector} parameter take it: comma-separated requirements {@code key=value}, {@code
 * key==value}, {@code key!=value}, {@code key in (a,b)}, {@code key notin (a,b)}, {@code key}
 * (exists) and {@code !key} (does not exist); all must hold. Immutable.
 */
final class LabelQuery {
  private static final String KEY = "[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?";
  private static final String VALUE = "([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?";
  private static final Pattern SET =
      Pattern.compile("(" + KEY + ")\\s+(in|notin)\\s*\\(([^()]*)\\)");
  private static final Pattern EQUALITY = Pattern.compile("(" + KEY + ")\\s*(==|=|!=)\\s*(.*)");
  private static final Pattern EXISTS = Pattern.compile("(!)?\\s*(" + KEY + ")");
  private static final Pattern VALUE_PATTERN = Pattern.compile(VALUE);

  private enum Op {
    EQUALS,
    NOT_EQUALS,
    IN,
    NOT_IN,
    EXISTS,
    DOES_NOT_EXIST
  }

  private record Requirement(String key, Op op, Set<String> values) {
    boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (op) {
        case EQUALS, IN -> v != null && values.contains(v);
        case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
        case EXISTS -> v != null;
        case DOES_NOT_EXIST -> v == null;
      };
    }
  }

  private final List<Requirement> requirements;

  private LabelQuery(List<Requirement> requirements) {
    this.requirements = List.copyOf(requirements);
  }

  /**
   * Parses {@code selector}; blank selects everything.
   *
   * @throws IllegalArgumentException naming the requirement that is not valid
   */
  static LabelQuery parse(String selector) {
    List<Requirement> out = new ArrayList<>();
    if (selector == null || selector.isBlank()) {
      return new LabelQuery(out);
    }
    for (String part : split(selector)) {
      String p = part.trim();
      Matcher m;
      if ((m = SET.matcher(p)).matches()) {
        List<String> values = new ArrayList<>();
        for (String v : m.group(4).split(",", -1)) {
          values.add(value(v.trim(), p));
        }
        out.add(
            new Requirement(
                m.group(1),
                m.group(3).equals("in") ? Op.IN : Op.NOT_IN,
                Set.copyOf(new HashSet<>(values))));
      } else if ((m = EQUALITY.matcher(p)).matches()) {
        String value = value(m.group(4).trim(), p);
        out.add(
            new Requirement(
                m.group(1), m.group(3).equals("!=") ? Op.NOT_EQUALS : Op.EQUALS, Set.of(value)));
      } else if ((m = EXISTS.matcher(p)).matches()) {
        out.add(
            new Requirement(
                m.group(2), m.group(1) == null ? Op.EXISTS : Op.DOES_NOT_EXIST, Set.of()));
      } else {
        throw new IllegalArgumentException(
            "invalid label selector '" + selector + "': cannot read '" + p + "'");
      }
    }
    return new LabelQuery(out);
  }

  private static String value(String v, String requirement) {
    if (v.length() > 63 || !VALUE_PATTERN.matcher(v).matches()) {
      throw new IllegalArgumentException(
          "invalid label selector: '" + v + "' in '" + requirement + "' is not a label value");
    }
    return v;
  }

  /** Splits on the commas that are not inside parentheses. */
  private static List<String> split(String selector) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(selector.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(selector.substring(start));
    return parts;
  }

  /** Whether an object with {@code labels} is selected. */
  boolean matches(Map<String, String> labels) {
    Map<String, String> l = labels == null ? Map.of() : labels;
    for (Requirement r : requirements) {
      if (!r.matches(l)) {
        return false;
      }
    }
    return true;
  }
}
