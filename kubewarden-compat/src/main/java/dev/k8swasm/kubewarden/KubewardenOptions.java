package dev.k8swasm.kubewarden;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.kubewarden.capabilities.HostCapabilityAllowList;
import dev.k8swasm.kubewarden.metadata.ContextAwareResource;
import dev.k8swasm.kubewarden.metadata.ExecutionMode;
import dev.k8swasm.kubewarden.metadata.PolicyType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Kubewarden keys of a module's configuration ({@code ModuleSpec.options()}), each overriding
 * the policy's metadata:
 *
 * <ul>
 *   <li>{@code executionMode}: {@code kubewarden-wapc} or {@code wasi};
 *   <li>{@code policyMode}: {@code protect} (default) or {@code monitor};
 *   <li>{@code policyType}: {@code kubernetes} or {@code raw};
 *   <li>{@code allowedHostCapabilities}: list of {@code namespace/operation} patterns ({@code *},
 *       {@code oci/*}, exact; see {@link HostCapabilityAllowList}); default: none (the library is
 *       explicit; the kwctl-compatible {@code run} and policy-server's {@code policies.yml} in
 *       {@code serve} pass {@code ["*"]} unless told otherwise, as kwctl and the Kubewarden
 *       controller do). The policy metadata's {@code hostCapabilities} is not a grant;
 *   <li>{@code contextAwareResources}: list of {@code {apiVersion, kind}}; default: the metadata's.
 * </ul>
 */
public final class KubewardenOptions {
  private final ExecutionMode executionMode;
  private final PolicyMode policyMode;
  private final PolicyType policyType;
  private final HostCapabilityAllowList allowedHostCapabilities;
  private final List<ContextAwareResource> contextAwareResources;

  private KubewardenOptions(
      Optional<ExecutionMode> executionMode,
      PolicyMode policyMode,
      Optional<PolicyType> policyType,
      HostCapabilityAllowList allowedHostCapabilities,
      Optional<List<ContextAwareResource>> contextAwareResources) {
    this.executionMode = executionMode.orElse(null);
    this.policyMode = policyMode;
    this.policyType = policyType.orElse(null);
    this.allowedHostCapabilities = allowedHostCapabilities;
    this.contextAwareResources = contextAwareResources.orElse(null);
  }

  /** The configured execution mode, if any. */
  public Optional<ExecutionMode> executionMode() {
    return Optional.ofNullable(executionMode);
  }

  /** Protect or monitor. */
  public PolicyMode policyMode() {
    return policyMode;
  }

  /** The configured policy type, if any. */
  public Optional<PolicyType> policyType() {
    return Optional.ofNullable(policyType);
  }

  /** The granted host capabilities. */
  public HostCapabilityAllowList allowedHostCapabilities() {
    return allowedHostCapabilities;
  }

  /** The configured Kubernetes resources, if any. */
  public Optional<List<ContextAwareResource>> contextAwareResources() {
    return Optional.ofNullable(contextAwareResources);
  }

  /** The option keys understood. */
  public static final List<String> KEYS =
      List.of(
          "executionMode",
          "policyMode",
          "policyType",
          "allowedHostCapabilities",
          "contextAwareResources");

  /** Options of the sandbox itself, passed through (e.g. {@code compileCache}). */
  public static final List<String> SANDBOX_KEYS = List.of("compileCache");

  /**
   * Reads the options.
   *
   * @throws IllegalArgumentException naming the key that is wrong
   */
  public static KubewardenOptions parse(Map<String, JsonNode> options) {
    List<String> problems = new ArrayList<>();
    for (String key : options.keySet()) {
      if (!KEYS.contains(key) && !SANDBOX_KEYS.contains(key)) {
        problems.add("unknown Kubewarden option '" + key + "' (known: " + KEYS + ")");
      }
    }
    Optional<ExecutionMode> mode = Optional.empty();
    PolicyMode policyMode = PolicyMode.PROTECT;
    Optional<PolicyType> type = Optional.empty();
    HostCapabilityAllowList allow = HostCapabilityAllowList.denyAll();
    Optional<List<ContextAwareResource>> resources = Optional.empty();
    try {
      mode = text(options, "executionMode").map(ExecutionMode::parse);
    } catch (IllegalArgumentException e) {
      problems.add("option 'executionMode': " + e.getMessage());
    }
    try {
      policyMode = text(options, "policyMode").map(PolicyMode::parse).orElse(PolicyMode.PROTECT);
    } catch (IllegalArgumentException e) {
      problems.add("option 'policyMode': " + e.getMessage());
    }
    try {
      type = text(options, "policyType").map(PolicyType::parse);
    } catch (IllegalArgumentException e) {
      problems.add("option 'policyType': " + e.getMessage());
    }
    JsonNode a = options.get("allowedHostCapabilities");
    if (a != null && !a.isNull()) {
      List<String> patterns = new ArrayList<>();
      if (!a.isArray()) {
        problems.add("option 'allowedHostCapabilities' must be a list of strings");
      } else {
        a.forEach(
            p -> {
              if (p.isTextual()) {
                patterns.add(p.asText());
              } else {
                problems.add("option 'allowedHostCapabilities' must be a list of strings");
              }
            });
        try {
          allow = HostCapabilityAllowList.of(patterns);
        } catch (IllegalArgumentException e) {
          problems.add("option 'allowedHostCapabilities': " + e.getMessage());
        }
      }
    }
    try {
      JsonNode r = options.get("contextAwareResources");
      if (r != null && !r.isNull()) {
        resources =
            Optional.of(ContextAwareResource.parseList(r, "option 'contextAwareResources'"));
      }
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return new KubewardenOptions(mode, policyMode, type, allow, resources);
  }

  private static Optional<String> text(Map<String, JsonNode> options, String key) {
    JsonNode n = options.get(key);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isTextual()) {
      throw new IllegalArgumentException("must be a string");
    }
    return Optional.of(n.asText());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KubewardenOptions o
        && Objects.equals(executionMode, o.executionMode)
        && Objects.equals(policyMode, o.policyMode)
        && Objects.equals(policyType, o.policyType)
        && Objects.equals(allowedHostCapabilities, o.allowedHostCapabilities)
        && Objects.equals(contextAwareResources, o.contextAwareResources);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        executionMode, policyMode, policyType, allowedHostCapabilities, contextAwareResources);
  }

  @Override
  public String toString() {
    return "KubewardenOptions[executionMode="
        + executionMode
        + ", policyMode="
        + policyMode
        + ", policyType="
        + policyType
        + ", allowedHostCapabilities="
        + allowedHostCapabilities
        + ", contextAwareResources="
        + contextAwareResources
        + "]";
  }
}
