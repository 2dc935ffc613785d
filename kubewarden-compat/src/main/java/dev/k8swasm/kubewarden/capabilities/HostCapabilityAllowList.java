package dev.k8swasm.kubewarden.capabilities;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which host capabilities a policy may call, as paths {@code "{namespace}/{operation}"} (e.g.
 * {@code net/v1/dns_lookup_host}, {@code kubernetes/can_i}), with Kubewarden's syntax: a pattern is
 * {@code *} (everything), a known path prefix followed by {@code /*} ({@code oci/*}, {@code
 * oci/v2/*}) or a known capability ({@link #KNOWN}). Patterns are trimmed; an empty pattern, a
 * wildcard that is not a whole last segment ({@code oci*}, {@code oci/v1/oci_*}), an unknown
 * segment ({@code oci/v99/verify}) or a path that stops before a capability ({@code oci/v1}) is
 * rejected with the reason, as Kubewarden rejects them. The empty list denies everything; {@code
 * tracing/log} is never checked. {@code kubernetes/list_*} and {@code get_resource} also need the
 * resource in the policy's {@code contextAwareResources}.
 *
 * @param patterns the granted patterns
 */
public record HostCapabilityAllowList(List<String> patterns) {

  /** The capabilities Kubewarden hosts know, as {@code namespace/operation} paths. */
  public static final List<String> KNOWN =
      List.of(
          "crypto/v1/is_certificate_trusted",
          "kubernetes/can_i",
          "kubernetes/get_resource",
          "kubernetes/list_resources_all",
          "kubernetes/list_resources_by_namespace",
          "net/v1/dns_lookup_host",
          "oci/v1/manifest_digest",
          "oci/v1/oci_manifest",
          "oci/v1/oci_manifest_config",
          "oci/v1/verify",
          "oci/v2/verify");

  private static final HostCapabilityAllowList DENY_ALL = new HostCapabilityAllowList(List.of());
  private static final HostCapabilityAllowList ALLOW_ALL =
      new HostCapabilityAllowList(List.of("*"));

  /**
   * @throws IllegalArgumentException when a pattern is malformed
   */
  public HostCapabilityAllowList {
    List<String> trimmed = new ArrayList<>();
    for (String p : patterns) {
      trimmed.add(check(p));
    }
    patterns = List.copyOf(trimmed);
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

  private static String check(String pattern) {
    String p = pattern == null ? "" : pattern.trim();
    if (p.isEmpty()) {
      throw new IllegalArgumentException("invalid host capability pattern: it must not be empty");
    }
    if (p.equals("*")) {
      return p;
    }
    if (p.contains("*") && !(p.endsWith("/*") && p.indexOf('*') == p.length() - 1)) {
      throw new IllegalArgumentException(
          "invalid host capability pattern '"
              + p
              + "': the wildcard '*' must be the whole last segment (e.g. 'oci/*'), not a partial"
              + " match");
    }
    boolean wildcard = p.endsWith("/*");
    String path = wildcard ? p.substring(0, p.length() - 1) : p;
    String[] segments = (wildcard ? path.substring(0, path.length() - 1) : path).split("/", -1);
    String prefix = "";
    for (int i = 0; i < segments.length; i++) {
      String known = prefix;
      Set<String> options = new TreeSet<>();
      boolean leaf = false;
      for (String k : KNOWN) {
        if (k.startsWith(known)) {
          String rest = k.substring(known.length());
          int slash = rest.indexOf('/');
          options.add(slash < 0 ? rest : rest.substring(0, slash));
          leaf |= rest.equals(segments[i]);
        }
      }
      if (!options.contains(segments[i])) {
        throw new IllegalArgumentException(
            "invalid host capability pattern '"
                + p
                + "': unknown segment '"
                + segments[i]
                + "', valid options at this level are: "
                + String.join(", ", options));
      }
      prefix = known + segments[i] + "/";
      boolean last = i == segments.length - 1;
      if (leaf && (wildcard || !last)) {
        throw new IllegalArgumentException(
            "invalid host capability pattern '"
                + p
                + "': '"
                + known
                + segments[i]
                + "' is a capability, not a prefix");
      }
      if (!leaf && last && !wildcard) {
        throw new IllegalArgumentException(
            "invalid host capability pattern '"
                + p
                + "': not a complete capability path; use '"
                + p
                + "/*' to allow all capabilities under it");
      }
    }
    return p;
  }

  @Override
  public String toString() {
    return patterns.isEmpty() ? "[] (deny all)" : patterns.toString();
  }
}
