package dev.k8swasm.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.k8swasm.config.ConfigException;
import dev.k8swasm.config.ModuleConfig;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleType;
import dev.k8swasm.source.ModuleReference;
import dev.k8swasm.source.ModuleSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Kubewarden policy-server {@code policies.yml}: a map from policy id to a policy ({@code
 * module}, {@code settings}, {@code allowedToMutate}, {@code policyMode}, {@code
 * contextAwareResources}, {@code message}, {@code timeoutEvalSeconds}, {@code hostCapabilities}) or
 * to a policy group ({@code expression}, {@code message}, {@code policyMode}, {@code policies}:
 * member id to {@code module}, {@code settings}, {@code contextAwareResources}, {@code
 * timeoutEvalSeconds}, {@code hostCapabilities}).
 *
 * <p>Grants are policy-server's: a policy reads exactly the Kubernetes resources of its {@code
 * contextAwareResources} (none when absent; its metadata's list is not a grant), and may call the
 * host capabilities of {@code hostCapabilities} (patterns as {@code kwctl
 * --allowed-host-capabilities}). Without {@code hostCapabilities} it may call every capability,
 * which is what the Kubewarden controller writes for every cluster-wide policy ({@code ["*"]}) and
 * what policy-server did before its allow-list existed.
 *
 * <p>Each policy becomes a Kubewarden admission module named by its id, mutating only when {@code
 * allowedToMutate} is true. Its rules are those of the module's metadata (used by our {@code
 * /validate} and {@code /mutate} chains and the generated webhook configurations); policy-server's
 * endpoints ({@code /validate/ID}...) evaluate whatever is sent to them, as policy-server does. A
 * module without a scheme is a file relative to this file's folder when that file exists, else an
 * OCI reference (as policy-server reads {@code ghcr.io/...}). Reading validates everything and
 * reports every problem at once; it loads nothing.
 *
 * @param file the file
 * @param policies the policies, as admission modules, in file order
 * @param messages the custom rejection message of each policy that has one, by policy id
 * @param modes the {@code policyMode} of each policy, by policy id; the modules themselves run in
 *     protect mode and the server applies monitor mode (policy-server's {@code /audit} and metrics
 *     see the policy's own answer)
 * @param groups the policy groups, in file order
 */
record PoliciesFile(
    Path file,
    List<ModuleConfig> policies,
    Map<String, String> messages,
    Map<String, PolicyMode> modes,
    List<Group> groups) {

  /**
   * The (Cluster)AdmissionPolicy a Kubewarden controller wrote an entry for ({@code {"Namespace":
   * ..., "Name": ...}}); policy-server ignores it, and so do we.
   */
  private static final String NAMESPACED_NAME = "namespacedName";

  private static final Set<String> POLICY_KEYS =
      Set.of(
          "module",
          "settings",
          "allowedToMutate",
          "policyMode",
          "contextAwareResources",
          "message",
          "timeoutEvalSeconds",
          "hostCapabilities",
          NAMESPACED_NAME);
  private static final Set<String> GROUP_KEYS =
      Set.of("expression", "message", "policyMode", "policies", NAMESPACED_NAME);
  private static final Set<String> MEMBER_KEYS =
      Set.of(
          "module", "settings", "contextAwareResources", "timeoutEvalSeconds", "hostCapabilities");

  PoliciesFile {
    policies = List.copyOf(policies);
    messages = Map.copyOf(messages);
    modes = Map.copyOf(modes);
    groups = List.copyOf(groups);
  }

  /**
   * A policy group.
   *
   * @param id the group's id (its endpoint name)
   * @param expression the boolean expression over {@code member()} calls
   * @param message the message of a rejection
   * @param policyMode the group's mode
   * @param members the members, as validating admission modules named {@code id/member}
   */
  record Group(
      String id,
      String expression,
      String message,
      PolicyMode policyMode,
      List<ModuleConfig> members) {
    Group {
      members = List.copyOf(members);
    }
  }

  /**
   * Whether {@code root} is in policy-server's format rather than ours: an object whose every value
   * is an object with {@code module} or {@code expression}, none of whose keys is one of our
   * top-level keys.
   */
  static boolean looksLike(JsonNode root, Set<String> ourKeys) {
    if (root == null || !root.isObject() || root.isEmpty()) {
      return false;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (ourKeys.contains(e.getKey())
          || !e.getValue().isObject()
          || !(e.getValue().has("module") || e.getValue().has("expression"))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses {@code root}, read from {@code file}.
   *
   * @throws ConfigException listing every problem, each naming the file, the policy id and the
   *     field
   */
  static PoliciesFile parse(JsonNode root, Path file) {
    String where = file.toString();
    Path base = file.toAbsolutePath().getParent();
    if (root == null || !root.isObject()) {
      throw new ConfigException(
          where + ": expected a map from policy id to a policy (module: ...) or a policy group");
    }
    List<String> problems = new ArrayList<>();
    List<ModuleConfig> policies = new ArrayList<>();
    Map<String, String> messages = new LinkedHashMap<>();
    Map<String, PolicyMode> modes = new LinkedHashMap<>();
    List<Group> groups = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String id = e.getKey();
      JsonNode node = e.getValue();
      String at = where + ": policy '" + Evaluator.clip(id) + "'";
      if (!validId(id, at, problems)) {
        continue;
      }
      if (!node.isObject()) {
        problems.add(at + ": expected an object with 'module' (a policy) or 'policies' (a group)");
      } else if (node.has("policies") || node.has("expression")) {
        Group g = group(id, node, base, at, problems);
        if (g != null) {
          groups.add(g);
        }
      } else {
        unknownKeys(node, POLICY_KEYS, at, problems);
        boolean mutate = bool(node, "allowedToMutate", at, problems);
        PolicyMode mode = mode(node, at, problems);
        String message = text(node, "message", at, problems, false);
        if (message != null) {
          messages.put(id, message);
        }
        modes.put(id, mode);
        ModuleConfig m = module(id, node, base, at, problems, mutate);
        if (m != null) {
          policies.add(m);
        }
      }
    }
    if (root.isEmpty()) {
      problems.add(where + ": no policies");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new PoliciesFile(file, policies, messages, modes, groups);
  }

  private static Group group(
      String id, JsonNode node, Path base, String at, List<String> problems) {
    unknownKeys(node, GROUP_KEYS, at, problems);
    String expression = text(node, "expression", at, problems, true);
    // policy-server takes any string, the controller writes the group's (required) message
    JsonNode messageNode = node.get("message");
    String message = messageNode != null && messageNode.isTextual() ? messageNode.asText() : null;
    if (messageNode == null || messageNode.isNull()) {
      problems.add(at + ": field 'message' is missing");
    } else if (message == null) {
      problems.add(at + ": field 'message': expected a string (the rejection's message)");
    }
    PolicyMode mode = mode(node, at, problems);
    JsonNode members = node.get("policies");
    List<ModuleConfig> list = new ArrayList<>();
    if (members == null || !members.isObject() || members.isEmpty()) {
      problems.add(at + ": field 'policies': expected a non-empty map from member id to a policy");
      return null;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = members.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String mat = at + ": member '" + Evaluator.clip(e.getKey()) + "'";
      if (!validId(e.getKey(), mat, problems)) {
        continue;
      }
      if (!e.getValue().isObject()) {
        problems.add(mat + ": expected an object with 'module'");
        continue;
      }
      unknownKeys(e.getValue(), MEMBER_KEYS, mat, problems);
      // members run in protect mode and never mutate; the group's mode applies to its answer
      ModuleConfig m = module(id + "/" + e.getKey(), e.getValue(), base, mat, problems, false);
      if (m != null) {
        list.add(m);
      }
    }
    if (expression == null || message == null) {
      return null;
    }
    return new Group(id, expression, message, mode, list);
  }

  private static boolean validId(String id, String at, List<String> problems) {
    if (id.isBlank() || id.contains("/") || !id.equals(Evaluator.clip(id))) {
      problems.add(at + ": an id must be non-empty, without '/' or control characters");
      return false;
    }
    return true;
  }

  private static ModuleConfig module(
      String name, JsonNode node, Path base, String at, List<String> problems, boolean mutate) {
    String text = text(node, "module", at, problems, true);
    if (text == null) {
      return null;
    }
    ModuleReference ref;
    try {
      ref = reference(text, base);
    } catch (IllegalArgumentException e) {
      problems.add(at + ": field 'module': " + e.getMessage());
      return null;
    }
    if (!ModuleSources.supports(ref.scheme())) {
      problems.add(
          at + ": field 'module': '" + ref + "': " + ModuleSources.unsupported(ref.scheme()));
    }
    Limits limits = Limits.defaults();
    JsonNode timeout = node.get("timeoutEvalSeconds");
    if (timeout != null && !timeout.isNull()) {
      if (!timeout.canConvertToInt() || !timeout.isIntegralNumber() || timeout.asInt() <= 0) {
        problems.add(at + ": field 'timeoutEvalSeconds': expected a whole number of seconds > 0");
      } else {
        limits = limits.toBuilder().timeout(Duration.ofSeconds(timeout.asInt())).build();
      }
    }
    Map<String, JsonNode> options = new LinkedHashMap<>();
    // the module answers as in protect mode; the server applies monitor mode (PolicyServerReviews)
    options.put(
        "policyMode",
        com.fasterxml.jackson.databind.node.TextNode.valueOf(PolicyMode.PROTECT.wireName()));
    JsonNode resources = node.get("contextAwareResources");
    if (resources != null && !resources.isNull()) {
      if (!resources.isArray()) {
        problems.add(at + ": field 'contextAwareResources': expected a list of {apiVersion, kind}");
      } else {
        for (int i = 0; i < resources.size(); i++) {
          JsonNode r = resources.get(i);
          if (!r.path("apiVersion").isTextual() || !r.path("kind").isTextual()) {
            problems.add(
                at + ": field 'contextAwareResources[" + i + "]': expected {apiVersion, kind}");
          }
        }
        options.put("contextAwareResources", resources);
      }
    } else {
      // policy-server grants only what policies.yml lists, never the metadata's resources
      options.put("contextAwareResources", JsonNodeFactory.instance.arrayNode());
    }
    JsonNode capabilities = node.get("hostCapabilities");
    if (capabilities != null && !capabilities.isNull()) {
      boolean strings = capabilities.isArray();
      for (int i = 0; strings && i < capabilities.size(); i++) {
        strings = capabilities.get(i).isTextual() && !capabilities.get(i).asText().isBlank();
      }
      if (!strings) {
        problems.add(
            at
                + ": field 'hostCapabilities': expected a list of patterns such as 'oci/*',"
                + " 'net/v1/dns_lookup_host' or '*'");
      } else {
        options.put("allowedHostCapabilities", capabilities);
      }
    } else {
      options.put("allowedHostCapabilities", JsonNodeFactory.instance.arrayNode().add("*"));
    }
    JsonNode settings = node.get("settings");
    return ModuleConfig.builder(name, ref)
        .settings(settings == null || settings.isNull() ? null : settings)
        .mutating(mutate)
        .type(ModuleType.KUBEWARDEN)
        .limits(limits)
        .engine(Engine.COMPILER)
        .options(options)
        .source(at)
        .build();
  }

  /**
   * A policy-server module reference: {@code registry://}, {@code file://} and other schemes as
   * written; without a scheme, a file relative to {@code base} when it exists, else {@code
   * registry://} (policy-server reads {@code ghcr.io/org/policy:v1} as an OCI reference).
   */
  static ModuleReference reference(String text, Path base) {
    ModuleReference ref = ModuleReference.parse(text);
    if (ref.isLocal() && !text.startsWith(ModuleReference.FILE + ":")) {
      Path local = base.resolve(text).normalize();
      if (!Files.exists(local) && !text.startsWith("/") && !text.startsWith(".")) {
        return ModuleReference.parse("registry://" + text);
      }
    }
    return ref.resolveAgainst(base);
  }

  private static PolicyMode mode(JsonNode node, String at, List<String> problems) {
    String mode = text(node, "policyMode", at, problems, false);
    if (mode == null) {
      return PolicyMode.PROTECT;
    }
    Optional<PolicyMode> known = PolicyMode.of(mode);
    if (known.isEmpty()) {
      problems.add(
          at + ": field 'policyMode': '" + Evaluator.clip(mode) + "' (use protect or monitor)");
    }
    return known.orElse(PolicyMode.PROTECT);
  }

  private static void unknownKeys(JsonNode node, Set<String> known, String at, List<String> p) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        p.add(
            at
                + ": unknown field '"
                + Evaluator.clip(k)
                + "' (expected "
                + String.join(", ", new java.util.TreeSet<>(known))
                + ")");
      }
    }
  }

  private static String text(
      JsonNode node, String field, String at, List<String> problems, boolean required) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        problems.add(at + ": field '" + field + "' is missing");
      }
      return null;
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      problems.add(at + ": field '" + field + "': expected a non-empty string");
      return null;
    }
    return v.asText();
  }

  private static boolean bool(JsonNode node, String field, String at, List<String> problems) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      problems.add(at + ": field '" + field + "': expected true or false");
      return false;
    }
    return v.asBoolean();
  }
}
