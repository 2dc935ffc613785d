package dev.k8swasm.admission;

import dev.k8swasm.admission.rules.RuleWithOperations;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Matches admission requests against {@link RuleWithOperations} exactly as kube-apiserver matches
 * webhook rules: scope, operation, group, version and resource (with subresource) must all match.
 */
public final class RuleMatcher {
  private static final Set<String> EXEMPT_RESOURCES =
      Set.of(
          "validatingwebhookconfigurations",
          "mutatingwebhookconfigurations",
          "validatingadmissionpolicies",
          "validatingadmissionpolicybindings",
          "mutatingadmissionpolicies",
          "mutatingadmissionpolicybindings");

  private RuleMatcher() {}

  /** Whether any of {@code rules} matches {@code request}. */
  public static boolean matchesAny(List<RuleWithOperations> rules, AdmissionRequest request) {
    for (RuleWithOperations rule : rules) {
      if (matches(rule, request)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code rule} matches {@code request}. */
  public static boolean matches(RuleWithOperations rule, AdmissionRequest request) {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(request, "request");
    GroupVersionResource gvr = request.resource();
    String group = gvr == null ? "" : nullToEmpty(gvr.group());
    String version = gvr == null ? "" : nullToEmpty(gvr.version());
    String resource = gvr == null ? "" : nullToEmpty(gvr.resource());
    String subResource = nullToEmpty(request.subResource());
    return scopeMatches(rule.scope(), resource, nullToEmpty(request.namespace()))
        && listMatches(rule.operations(), nullToEmpty(request.operation()))
        && listMatches(rule.apiGroups(), group)
        && listMatches(rule.apiVersions(), version)
        && resourceMatches(rule.resources(), resource, subResource);
  }

  /**
   * Whether the request concerns an admission configuration object that is never sent to modules
   * (so a broken policy cannot block its own fix).
   */
  public static boolean isExempt(AdmissionRequest request) {
    GroupVersionResource gvr = request.resource();
    return gvr != null
        && "admissionregistration.k8s.io".equals(gvr.group())
        && EXEMPT_RESOURCES.contains(gvr.resource());
  }

  private static boolean scopeMatches(String scope, String resource, String namespace) {
    if (scope == null || scope.isEmpty() || scope.equals("*")) {
      return true;
    }
    boolean clusterScoped = resource.equals("namespaces") || namespace.isEmpty();
    return switch (scope) {
      case "Cluster" -> clusterScoped;
      case "Namespaced" -> !clusterScoped;
      default -> false;
    };
  }

  private static boolean listMatches(List<String> allowed, String value) {
    if (allowed == null) {
      return false;
    }
    for (String a : allowed) {
      if (a.equals("*") || a.equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static boolean resourceMatches(
      List<String> resources, String resource, String subResource) {
    if (resources == null) {
      return false;
    }
    for (String entry : resources) {
      int slash = entry.indexOf('/');
      String res = slash < 0 ? entry : entry.substring(0, slash);
      String sub = slash < 0 ? "" : entry.substring(slash + 1);
      if ((res.equals("*") || res.equals(resource))
          && (sub.equals("*") || sub.equals(subResource))) {
        return true;
      }
    }
    return false;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
