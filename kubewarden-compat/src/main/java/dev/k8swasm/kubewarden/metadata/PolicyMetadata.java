package dev.k8swasm.kubewarden.metadata;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.CustomSection;
import com.dylibso.chicory.wasm.types.UnknownCustomSection;
import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.admission.rules.RuleWithOperations;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.ModuleMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The metadata Kubewarden policies carry in the Wasm custom section {@value #SECTION} (UTF-8 JSON,
 * camelCase), as written by {@code kwctl annotate}. Every field has Kubewarden's default when
 * absent. Immutable; read with {@link #of(WasmModule)} or {@link #parse(JsonNode)}.
 */
public final class PolicyMetadata {

  /** The name of the custom section holding the metadata. */
  public static final String SECTION = "io.kubewarden.metadata";

  /** The annotation holding the policy's title. */
  public static final String TITLE = "io.kubewarden.policy.title";

  /** The annotation holding the policy's version. */
  public static final String VERSION = "io.kubewarden.policy.version";

  private final String protocolVersion;
  private final List<RuleWithOperations> rules;
  private final Map<String, String> annotations;
  private final boolean mutating;
  private final boolean backgroundAudit;
  private final ExecutionMode executionMode;
  private final PolicyType policyType;
  private final List<ContextAwareResource> contextAwareResources;
  private final List<String> hostCapabilities;
  private final String minimumKubewardenVersion;
  private final JsonNode raw;

  private PolicyMetadata(
      String protocolVersion,
      List<RuleWithOperations> rules,
      Map<String, String> annotations,
      boolean mutating,
      boolean backgroundAudit,
      ExecutionMode executionMode,
      PolicyType policyType,
      List<ContextAwareResource> contextAwareResources,
      List<String> hostCapabilities,
      String minimumKubewardenVersion,
      JsonNode raw) {
    this.protocolVersion = protocolVersion;
    this.rules = rules == null ? null : List.copyOf(rules);
    this.annotations = Map.copyOf(annotations);
    this.mutating = mutating;
    this.backgroundAudit = backgroundAudit;
    this.executionMode = Objects.requireNonNull(executionMode, "executionMode");
    this.policyType = Objects.requireNonNull(policyType, "policyType");
    this.contextAwareResources = List.copyOf(contextAwareResources);
    this.hostCapabilities = hostCapabilities == null ? null : List.copyOf(hostCapabilities);
    this.minimumKubewardenVersion = minimumKubewardenVersion;
    this.raw = Objects.requireNonNull(raw, "raw");
  }

  /** {@code v1} or {@code Unknown} (waPC policies need {@code v1}), if declared. */
  public Optional<String> protocolVersion() {
    return Optional.ofNullable(protocolVersion);
  }

  /** The admission rules, if declared. */
  public Optional<List<RuleWithOperations>> rules() {
    return Optional.ofNullable(rules);
  }

  /** {@code io.kubewarden.policy.title}, {@code ...version}, ... */
  public Map<String, String> annotations() {
    return annotations;
  }

  /** Whether the policy mutates (default false). */
  public boolean mutating() {
    return mutating;
  }

  /** Whether the policy may run in background audits (default true). */
  public boolean backgroundAudit() {
    return backgroundAudit;
  }

  /** How the policy talks to its host (default {@code kubewarden-wapc}). */
  public ExecutionMode executionMode() {
    return executionMode;
  }

  /** What the policy validates (default {@code kubernetes}). */
  public PolicyType policyType() {
    return policyType;
  }

  /** The Kubernetes resources the policy wants to read. */
  public List<ContextAwareResource> contextAwareResources() {
    return contextAwareResources;
  }

  /** The host capabilities the policy declares it uses, if declared. */
  public Optional<List<String>> hostCapabilities() {
    return Optional.ofNullable(hostCapabilities);
  }

  /** The oldest Kubewarden able to run the policy, if declared. */
  public Optional<String> minimumKubewardenVersion() {
    return Optional.ofNullable(minimumKubewardenVersion);
  }

  /** The whole document as found in the module. */
  public JsonNode raw() {
    return raw.deepCopy();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PolicyMetadata m && raw.equals(m.raw);
  }

  @Override
  public int hashCode() {
    return raw.hashCode();
  }

  @Override
  public String toString() {
    return "PolicyMetadata" + raw;
  }

  /**
   * The metadata of {@code module}, if it has the section.
   *
   * @throws IllegalArgumentException when the section is not valid metadata
   */
  public static Optional<PolicyMetadata> of(WasmModule module) {
    for (CustomSection section : module.customSections()) {
      if (SECTION.equals(section.name()) && section instanceof UnknownCustomSection unknown) {
        return Optional.of(parse(unknown.bytes()));
      }
    }
    return Optional.empty();
  }

  /**
   * Parses the section's payload.
   *
   * @throws IllegalArgumentException naming the field that is wrong
   */
  public static PolicyMetadata parse(byte[] json) {
    JsonNode root;
    try {
      root = Json.reader().readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "the " + SECTION + " custom section is not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(
          "the " + SECTION + " custom section must hold a JSON object");
    }
    return parse(root);
  }

  /**
   * Reads metadata from its JSON form.
   *
   * @throws IllegalArgumentException naming the field that is wrong
   */
  public static PolicyMetadata parse(JsonNode root) {
    String where = SECTION;
    Optional<String> protocol = optionalText(root, "protocolVersion", where);
    JsonNode rulesNode = root.get("rules");
    List<RuleWithOperations> rules = null;
    if (rulesNode != null && !rulesNode.isNull()) {
      if (!rulesNode.isArray()) {
        throw new IllegalArgumentException(where + ": 'rules' must be a list of rules");
      }
      try {
        rules = RuleWithOperations.listOf(rulesNode);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    JsonNode a = root.get("annotations");
    if (a != null && !a.isNull()) {
      if (!a.isObject()) {
        throw new IllegalArgumentException(where + ": 'annotations' must be an object");
      }
      for (Map.Entry<String, JsonNode> e : a.properties()) {
        if (!e.getValue().isTextual()) {
          throw new IllegalArgumentException(
              where + ": annotation '" + e.getKey() + "' must be a string");
        }
        annotations.put(e.getKey(), e.getValue().asText());
      }
    }
    boolean mutating = bool(root, "mutating", false, where);
    boolean backgroundAudit = bool(root, "backgroundAudit", true, where);
    ExecutionMode mode;
    PolicyType type;
    try {
      mode =
          optionalText(root, "executionMode", where)
              .map(ExecutionMode::parse)
              .orElse(ExecutionMode.KUBEWARDEN_WAPC);
      type =
          optionalText(root, "policyType", where)
              .map(PolicyType::parse)
              .orElse(PolicyType.KUBERNETES);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
    List<ContextAwareResource> resources =
        ContextAwareResource.parseList(
            root.get("contextAwareResources"), where + ": 'contextAwareResources'");
    List<String> capabilities = null;
    JsonNode c = root.get("hostCapabilities");
    if (c != null && !c.isNull()) {
      List<String> list = new ArrayList<>();
      if (!c.isArray()) {
        throw new IllegalArgumentException(where + ": 'hostCapabilities' must be a list");
      }
      c.forEach(
          item -> {
            if (!item.isTextual()) {
              throw new IllegalArgumentException(
                  where + ": 'hostCapabilities' must be a list of strings");
            }
            list.add(item.asText());
          });
      capabilities = list;
    }
    return new PolicyMetadata(
        protocol.orElse(null),
        rules,
        annotations,
        mutating,
        backgroundAudit,
        mode,
        type,
        resources,
        capabilities,
        optionalText(root, "minimumKubewardenVersion", where).orElse(null),
        root.deepCopy());
  }

  /** The policy's title annotation, if any. */
  public Optional<String> title() {
    return Optional.ofNullable(annotations.get(TITLE));
  }

  /** The defaults this metadata gives a module: its rules and {@code mutating}. */
  public ModuleMetadata toModuleMetadata() {
    return ModuleMetadata.builder().rules(rules).mutating(mutating).raw(raw.deepCopy()).build();
  }

  private static Optional<String> optionalText(JsonNode root, String field, String where) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isTextual()) {
      throw new IllegalArgumentException(where + ": '" + field + "' must be a string");
    }
    return Optional.of(n.asText());
  }

  private static boolean bool(JsonNode root, String field, boolean dflt, String where) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isBoolean()) {
      throw new IllegalArgumentException(where + ": '" + field + "' must be true or false");
    }
    return n.asBoolean();
  }
}
