package dev.k8swasm.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Kubernetes field selector in its string form ({@code metadata.name=web,metadata.namespace!=x}):
 * comma-separated {@code field=value}, {@code field==value} or {@code field!=value}; all must hold.
 * The fields every kind supports, {@code metadata.name} and {@code metadata.namespace}, are
 * evaluated on cached objects; a selector on any other field ({@code spec.nodeName}, {@code
 * status.phase}) is {@linkplain #cacheable() not cacheable} and goes to the API server, which knows
 * the fields of each kind. Immutable.
 */
final class FieldQuery {
  private record Requirement(String field, boolean equals, String value) {
    boolean matches(String namespace, String name) {
      String actual = field.equals("metadata.name") ? name : namespace;
      return equals == Objects.equals(value, actual == null ? "" : actual);
    }
  }

  private final List<Requirement> requirements;
  private final boolean cacheable;

  private FieldQuery(List<Requirement> requirements, boolean cacheable) {
    this.requirements = List.copyOf(requirements);
    this.cacheable = cacheable;
  }

  /**
   * Parses {@code selector}; blank selects everything.
   *
   * @throws IllegalArgumentException naming the requirement that is not valid
   */
  static FieldQuery parse(String selector) {
    List<Requirement> out = new ArrayList<>();
    boolean cacheable = true;
    if (selector == null || selector.isBlank()) {
      return new FieldQuery(out, true);
    }
    for (String part : selector.split(",", -1)) {
      String p = part.trim();
      int ne = p.indexOf("!=");
      int eq = p.indexOf('=');
      String field;
      String value;
      boolean equals;
      if (ne > 0 && ne <= eq - 1) {
        field = p.substring(0, ne).trim();
        value = p.substring(ne + 2).trim();
        equals = false;
      } else if (eq > 0) {
        field = p.substring(0, eq).trim();
        value = p.substring(p.startsWith("==", eq) ? eq + 2 : eq + 1).trim();
        equals = true;
      } else {
        throw new IllegalArgumentException(
            "invalid field selector '"
                + selector
                + "': '"
                + p
                + "' is not field=value, field==value or field!=value");
      }
      if (field.isEmpty() || !field.matches("[A-Za-z0-9_.\\-\\[\\]]+")) {
        throw new IllegalArgumentException(
            "invalid field selector '" + selector + "': '" + field + "' is not a field path");
      }
      if (!field.equals("metadata.name") && !field.equals("metadata.namespace")) {
        cacheable = false;
      }
      out.add(new Requirement(field, equals, value));
    }
    return new FieldQuery(out, cacheable);
  }

  /** Whether only {@code metadata.name} and {@code metadata.namespace} are used. */
  boolean cacheable() {
    return cacheable;
  }

  /**
   * Whether an object named {@code name} in {@code namespace} (null when cluster-scoped) is
   * selected; only for {@link #cacheable()} selectors.
   */
  boolean matches(String namespace, String name) {
    if (!cacheable) {
      throw new IllegalStateException("field selector needs the API server");
    }
    for (Requirement r : requirements) {
      if (!r.matches(namespace, name)) {
        return false;
      }
    }
    return true;
  }
}
