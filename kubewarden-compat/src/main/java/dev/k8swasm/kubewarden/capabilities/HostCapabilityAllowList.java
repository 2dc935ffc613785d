package dev.k8swasm.kubewarden.capabilities;

import java.util.List;
import java.util.Objects;

/**
 * Which host capabilities a policy may call, as paths {@code "{namespace}/{operation}"} (e.g.
 * {@code net/v1/dns_lookup_host}, {@code kubernetes/can_i}). A pattern is {@code *} (everything), a
 * prefix ending in {@code /*} ({@code oci/*}, {@code oci/v2/*}) or an exact path. The empty list
 * denies everything, the default. {@code tracing/log} is never checked.
 *
 * @param patterns the granted patterns
 */
public record HostCapabilityAllowList(List<String> patterns) {

  private static final HostCapabilityAllowList DENY_ALL = new HostCapabilityAllowList(List.of());
  private static final HostCapabilityAllowList ALLOW_ALL =
      new HostCapabilityAllowList(List.of("*"));

  /**
   * @throws IllegalArgumentException when a pattern is malformed
   */
  public HostCapabilityAllowList {
    patterns = List.copyOf(patterns);
    for (String p : patterns) {
      check(p);
    }
  }

  /** Nothing is allowed. */
  public static HostCapabilityAllowList denyAll() {
    return DENY_ALL;
  }

  /** Everything is allowed. */
  public static HostCapabilityAllowList allowAll() {
    return ALLOW_ALL;
  }

  /**
   * The allow list of {@code patterns}.
   *
   * @throws IllegalArgumentException when a pattern is malformed
   */
  public static HostCapabilityAllowList of(List<String> patterns) {
    return new HostCapabilityAllowList(patterns);
  }

  /** Whether the capability at {@code path} ({@code namespace/operation}) may be called. */
  public boolean allows(String path) {
    Objects.requireNonNull(path, "path");
    for (String p : patterns) {
      if (p.equals("*") || p.equals(path)) {
        return true;
      }
      if (p.endsWith("/*") && path.startsWith(p.substring(0, p.length() - 1))) {
        return true;
      }
    }
    return false;
  }

  private static void check(String p) {
    if (p == null || p.isBlank()) {
      throw new IllegalArgumentException("a host capability pattern must not be empty");
    }
    if (!p.equals(p.trim())) {
      throw new IllegalArgumentException(
          "host capability pattern '" + p + "' must not have surrounding blanks");
    }
    int star = p.indexOf('*');
    if (star >= 0
        && !(p.equals("*") || (star == p.length() - 1 && p.endsWith("/*") && p.length() > 2))) {
      throw new IllegalArgumentException(
          "invalid host capability pattern '"
              + p
              + "': use '*', a prefix ending in '/*' (e.g. 'oci/*', 'oci/v2/*') or an exact path"
              + " (e.g. 'net/v1/dns_lookup_host')");
    }
    if (p.startsWith("/") || p.contains("//")) {
      throw new IllegalArgumentException(
          "invalid host capability pattern '" + p + "': expected namespace/operation");
    }
  }

  @Override
  public String toString() {
    return patterns.isEmpty() ? "[] (deny all)" : patterns.toString();
  }
}
