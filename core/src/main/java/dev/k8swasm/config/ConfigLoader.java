package dev.k8swasm.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.admission.FailurePolicy;
import dev.k8swasm.admission.LabelSelector;
import dev.k8swasm.admission.ReinvocationPolicy;
import dev.k8swasm.admission.rules.RuleWithOperations;
import dev.k8swasm.authz.AuthorizationFailurePolicy;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleType;
import dev.k8swasm.source.ModuleReference;
import dev.k8swasm.source.ModuleSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads configuration files: the module list format ({@code modules: [...]}, YAML or JSON) and the
 * Kubernetes {@code AdmissionConfiguration} wrapper around it (plugin {@code WASM}, inline {@code
 * configuration} or {@code path}). Everything is validated up front; all problems are reported at
 * once, each naming the file, the module and the field.
 *
 * <p>Every method throws {@link ConfigException} for a configuration that cannot be used (also for
 * a file that is missing or unreadable); nothing is loaded or compiled here ({@link Chains} does
 * that). Stateless and thread-safe.
 */
public final class ConfigLoader {
  /** The plugin name looked up in an AdmissionConfiguration. */
  public static final String PLUGIN_NAME = "WASM";

  private static final Set<String> CORE_KEYS =
      Set.of(
          "name",
          "module",
          "settings",
          "debug",
          "mutating",
          "type",
          "rules",
          "failurePolicy",
          "timeout",
          "maxMemory",
          "maxOutput",
          "maxRequest",
          "maxCallDepth",
          "engine",
          "strategy",
          "namespaceSelector",
          "objectSelector",
          "reinvocationPolicy");

  /** Keys passed through to the module's runtime (validated there). */
  public static final Set<String> RUNTIME_KEYS =
      Set.of(
          "executionMode",
          "allowedHostCapabilities",
          "contextAwareResources",
          "policyMode",
          "policyType",
          "entrypoint");

  private static final Set<String> KNOWN_KEYS = union(CORE_KEYS, RUNTIME_KEYS);

  private static final Set<String> OPERATIONS = Set.of("CREATE", "UPDATE", "DELETE", "CONNECT");

  private static final Set<String> TOP_LEVEL_KEYS = Set.of("modules", "implicitAudiences", "cache");

  private ConfigLoader() {}

  /**
   * Loads a configuration file.
   *
   * @throws ConfigException listing every problem
   */
  public static PolicyConfig load(Path file) {
    JsonNode root = readDocument(file);
    PolicyConfig config = parse(root, file.toAbsolutePath().getParent(), file.toString());
    return PolicyConfig.of(
        config.modules(), config.implicitAudiences(), file, config.cache().orElse(null));
  }

  /**
   * Parses a configuration document whose relative module paths are resolved against {@code
   * baseDir}; {@code sourceName} names it in messages.
   *
   * @throws ConfigException listing every problem
   */
  public static PolicyConfig parse(JsonNode root, Path baseDir, String sourceName) {
    if (root != null && "AdmissionConfiguration".equals(root.path("kind").asText())) {
      return unwrapAdmissionConfiguration(root, baseDir, sourceName);
    }
    List<String> problems = new ArrayList<>();
    if (root == null || !root.isObject()) {
      throw new ConfigException(sourceName + ": expected an object with a 'modules' list");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!TOP_LEVEL_KEYS.contains(key)) {
        problems.add(
            sourceName
                + ": unknown top-level field '"
                + key
                + "'"
                + Suggestions.didYouMean(key, TOP_LEVEL_KEYS)
                    .map(k -> " (did you mean '" + k + "'?)")
                    .orElse(" (expected 'modules')"));
      }
    }
    JsonNode list = root.get("modules");
    List<ModuleConfig> modules = new ArrayList<>();
    // checked here but reported only with other problems (then all are reported at once); else
    // loading the chain reports them, and a document may name files that exist only later
    List<String> missingFiles = new ArrayList<>();
    if (list == null || list.isNull()) {
      problems.add(sourceName + ": no 'modules' list");
    } else if (!list.isArray()) {
      problems.add(sourceName + ": 'modules' must be a list");
    } else {
      Set<String> names = new java.util.HashSet<>();
      for (int i = 0; i < list.size(); i++) {
        ModuleConfig m =
            module(
                list.get(i), baseDir, sourceName + ": modules[" + i + "]", problems, missingFiles);
        if (m != null) {
          if (!names.add(m.name())) {
            problems.add(m.source() + ": duplicate module name '" + m.name() + "'");
          }
          modules.add(m);
        }
      }
    }
    List<String> implicitAudiences = new ArrayList<>();
    JsonNode aud = root.get("implicitAudiences");
    if (aud != null && !aud.isNull()) {
      if (!aud.isArray()) {
        problems.add(sourceName + ": 'implicitAudiences' must be a list of strings");
      } else {
        aud.forEach(a -> implicitAudiences.add(a.asText()));
      }
    }
    CacheConfig cache = CacheConfig.read(root.get("cache"), sourceName + ": cache", problems);
    if (!problems.isEmpty()) {
      problems.addAll(missingFiles);
      throw new ConfigException(problems);
    }
    return PolicyConfig.of(modules, implicitAudiences, null, cache);
  }

  /**
   * One configuration file, JSON or YAML, as a tree.
   *
   * @throws ConfigException naming the file when it is missing, cannot be read or cannot be parsed
   */
  public static JsonNode readDocument(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": file not found");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    }
    try {
      return Json.readTree(bytes);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file + ": " + e.getMessage());
    }
  }

  private static PolicyConfig unwrapAdmissionConfiguration(
      JsonNode root, Path baseDir, String sourceName) {
    String apiVersion = root.path("apiVersion").asText();
    if (!apiVersion.startsWith("apiserver.config.k8s.io/")
        && !apiVersion.startsWith("apiserver.k8s.io/")) {
      throw new ConfigException(
          sourceName
              + ": AdmissionConfiguration has apiVersion '"
              + apiVersion
              + "' (expected apiserver.config.k8s.io/v1)");
    }
    JsonNode plugins = root.path("plugins");
    for (JsonNode plugin : plugins) {
      if (!PLUGIN_NAME.equals(plugin.path("name").asText())) {
        continue;
      }
      JsonNode inline = plugin.get("configuration");
      JsonNode path = plugin.get("path");
      if (inline != null && !inline.isNull()) {
        return parse(inline, baseDir, sourceName + ": plugins[" + PLUGIN_NAME + "].configuration");
      }
      if (path != null && path.isTextual()) {
        Path target = resolve(baseDir, path.asText());
        JsonNode nested = readDocument(target);
        return parse(nested, target.toAbsolutePath().getParent(), target.toString());
      }
      throw new ConfigException(
          sourceName + ": plugin " + PLUGIN_NAME + " has neither 'configuration' nor 'path'");
    }
    throw new ConfigException(
        sourceName + ": AdmissionConfiguration has no plugin named " + PLUGIN_NAME);
  }

  private static ModuleConfig module(
      JsonNode node, Path baseDir, String at, List<String> problems, List<String> missingFiles) {
    if (node == null || !node.isObject()) {
      problems.add(at + ": expected an object");
      return null;
    }
    int before = problems.size();
    Map<String, JsonNode> options = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (RUNTIME_KEYS.contains(e.getKey())) {
        options.put(e.getKey(), e.getValue());
      } else if (!CORE_KEYS.contains(e.getKey())) {
        problems.add(
            at
                + ": unknown field '"
                + e.getKey()
                + "'"
                + Suggestions.didYouMean(e.getKey(), KNOWN_KEYS)
                    .map(k -> " (did you mean '" + k + "'?)")
                    .orElse(""));
      }
    }
    String modulePath = text(node, "module", at, problems);
    String name = text(node, "name", at, problems);
    if (modulePath == null || modulePath.isBlank()) {
      problems.add(at + (name == null ? "" : " (" + name + ")") + ": no module path specified");
      return null;
    }
    ModuleReference module;
    try {
      module = ModuleReference.parse(modulePath).resolveAgainst(baseDir);
    } catch (IllegalArgumentException e) {
      problems.add(
          at + (name == null ? "" : " (" + name + ")") + ": field 'module': " + e.getMessage());
      return null;
    }
    if (name == null || name.isBlank()) {
      name = module.defaultName();
    }
    String where = at + " (" + name + ")";
    missingFile(module, modulePath, baseDir).ifPresent(p -> missingFiles.add(where + ": " + p));
    if (!ModuleSources.supports(module.scheme())) {
      problems.add(
          where
              + ": field 'module': '"
              + module
              + "': "
              + ModuleSources.unsupported(module.scheme()));
    }
    String typeName =
        Optional.ofNullable(text(node, "type", where, problems)).orElse(ModuleType.WASI.name());
    ModuleType type = ModuleType.WASI;
    if (typeName.equals(ModuleType.WASI.name())
        || typeName.equals(ModuleType.KUBEWARDEN.name())
        || typeName.equals("rego")) {
      type = ModuleType.of(typeName);
    } else {
      problems.add(
          where + ": field 'type': unknown type '" + typeName + "' (use wasi, kubewarden or rego)");
    }
    Optional<JsonNode> settings = Optional.ofNullable(node.get("settings"));
    boolean debug = bool(node, "debug", where, problems).orElse(false);
    Optional<Boolean> mutating = bool(node, "mutating", where, problems);
    Optional<List<RuleWithOperations>> rules = rules(node.get("rules"), where, problems);
    // failurePolicy is parsed here, once, into the vocabulary it belongs to. A value of neither
    // is kept as written, for the chain that uses the entry to report (with its module's problems)
    Map<String, String> invalid = new java.util.LinkedHashMap<>();
    Optional<FailurePolicy> failurePolicy = Optional.empty();
    Optional<AuthorizationFailurePolicy> authorizationFailurePolicy = Optional.empty();
    String failureText = text(node, "failurePolicy", where, problems);
    if (failureText != null) {
      failurePolicy = parsed(() -> FailurePolicy.parse(failureText));
      authorizationFailurePolicy = parsed(() -> AuthorizationFailurePolicy.parse(failureText));
      if (failurePolicy.isEmpty() && authorizationFailurePolicy.isEmpty()) {
        invalid.put("failurePolicy", failureText);
      }
    }
    Limits.Builder limits = Limits.builder();
    parse(node, "timeout", where, problems, s -> limits.timeout(positiveDuration(s)));
    parse(node, "maxMemory", where, problems, s -> limits.maxMemoryBytes(positiveSize(s)));
    parse(node, "maxOutput", where, problems, s -> limits.maxOutputBytes(positiveSize(s)));
    parse(node, "maxRequest", where, problems, s -> limits.maxRequestBytes(positiveSize(s)));
    parse(node, "maxCallDepth", where, problems, s -> limits.maxCallDepth(positiveCount(s)));
    Engine[] engine = {Engine.COMPILER};
    parse(node, "engine", where, problems, s -> engine[0] = parseEngine(s));
    InstanceStrategy[] strategy = {null};
    parse(node, "strategy", where, problems, s -> strategy[0] = parseStrategy(s));
    Optional<LabelSelector> namespaceSelector =
        selector(node.get("namespaceSelector"), where + ": field 'namespaceSelector'", problems);
    Optional<LabelSelector> objectSelector =
        selector(node.get("objectSelector"), where + ": field 'objectSelector'", problems);
    Optional<ReinvocationPolicy> reinvocation = Optional.empty();
    String reinvocationText = text(node, "reinvocationPolicy", where, problems);
    if (reinvocationText != null) {
      reinvocation = parsed(() -> ReinvocationPolicy.parse(reinvocationText));
      if (reinvocation.isEmpty()) {
        invalid.put("reinvocationPolicy", reinvocationText);
      }
    }
    Limits built = null;
    try {
      built = limits.build();
    } catch (IllegalArgumentException e) {
      problems.add(where + ": " + e.getMessage());
    }
    if (problems.size() > before) {
      return null;
    }
    return ModuleConfig.builder(name, module)
        .settings(settings.orElse(null))
        .debug(debug)
        .mutating(mutating.orElse(null))
        .type(type)
        .rules(rules.orElse(null))
        .failurePolicy(failurePolicy.orElse(null))
        .authorizationFailurePolicy(authorizationFailurePolicy.orElse(null))
        .limits(built)
        .engine(engine[0])
        .strategy(strategy[0])
        .namespaceSelector(namespaceSelector.orElse(null))
        .objectSelector(objectSelector.orElse(null))
        .reinvocationPolicy(reinvocation.orElse(null))
        .options(options)
        .invalidFields(invalid)
        .source(where)
        .build();
  }

  /** A duration above zero, e.g. {@code 2s}; the message of a bad one shows the accepted forms. */
  private static java.time.Duration positiveDuration(String s) {
    java.time.Duration d = Quantities.parseDuration(s);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(
          "invalid duration '" + s + "': must be more than zero (e.g. 2s, 500ms, 1m)");
    }
    return d;
  }

  /** A byte quantity above zero, e.g. {@code 64Mi}. */
  private static long positiveSize(String s) {
    long bytes = Quantities.parseBytes(s);
    if (bytes <= 0) {
      throw new IllegalArgumentException(
          "invalid size '" + s + "': must be more than zero (e.g. 64Mi, 512Ki, 1Gi)");
    }
    return bytes;
  }

  /** A whole number above zero, e.g. {@code 10000}. */
  static int positiveCount(String s) {
    int n;
    try {
      n = Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      n = 0;
    }
    if (n <= 0) {
      throw new IllegalArgumentException(
          "invalid number '" + s + "': use a whole number above zero such as 10000");
    }
    return n;
  }

  /** Parses {@code compiler} or {@code interpreter}. */
  public static Engine parseEngine(String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "compiler" -> Engine.COMPILER;
      case "interpreter" -> Engine.INTERPRETER;
      default ->
          throw new IllegalArgumentException(
              "unknown engine '" + s + "' (use compiler or interpreter)");
    };
  }

  /** Parses {@code snapshot} or {@code fresh}. */
  public static InstanceStrategy parseStrategy(String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "snapshot" -> InstanceStrategy.SNAPSHOT;
      case "fresh" -> InstanceStrategy.FRESH;
      default ->
          throw new IllegalArgumentException(
              "unknown strategy '" + s + "' (use snapshot or fresh)");
    };
  }

  interface Setter {
    void set(String value);
  }

  static void parse(
      JsonNode node, String field, String where, List<String> problems, Setter setter) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return;
    }
    if (!value.isValueNode()) {
      problems.add(where + ": field '" + field + "': expected a single value");
      return;
    }
    try {
      setter.set(value.asText());
    } catch (IllegalArgumentException e) {
      problems.add(where + ": field '" + field + "': " + e.getMessage());
    }
  }

  private static Optional<List<RuleWithOperations>> rules(
      JsonNode node, String where, List<String> problems) {
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isArray()) {
      problems.add(where + ": field 'rules': expected a list of rules");
      return Optional.empty();
    }
    List<RuleWithOperations> rules = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      String at = where + ": field 'rules[" + i + "]'";
      RuleWithOperations rule;
      try {
        rule = Json.convert(node.get(i), RuleWithOperations.class);
      } catch (IllegalArgumentException e) {
        problems.add(at + ": " + e.getMessage());
        continue;
      }
      validateRule(rule, at, problems);
      rules.add(rule);
    }
    return Optional.of(rules);
  }

  /** Checks a rule as the API server does when a webhook configuration is created. */
  public static void validateRule(RuleWithOperations rule, String at, List<String> problems) {
    checkList(rule.operations(), "operations", at, problems);
    checkList(rule.apiGroups(), "apiGroups", at, problems);
    checkList(rule.apiVersions(), "apiVersions", at, problems);
    checkList(rule.resources(), "resources", at, problems);
    if (rule.operations() != null) {
      for (String op : rule.operations()) {
        if (!op.equals("*") && !OPERATIONS.contains(op)) {
          problems.add(
              at + ": unknown operation '" + op + "' (use CREATE, UPDATE, DELETE, CONNECT or *)");
        }
      }
    }
    if (rule.resources() != null) {
      for (String r : rule.resources()) {
        if (r.isEmpty()
            || r.startsWith("/")
            || r.endsWith("/")
            || r.indexOf('/') != r.lastIndexOf('/')) {
          problems.add(
              at + ": malformed resource '" + r + "' (use resource or resource/subresource)");
        }
      }
    }
    String scope = rule.scope();
    if (scope != null && !Set.of("*", "Cluster", "Namespaced").contains(scope)) {
      problems.add(at + ": unknown scope '" + scope + "' (use Cluster, Namespaced or *)");
    }
  }

  private static void checkList(List<String> list, String field, String at, List<String> problems) {
    if (list == null || list.isEmpty()) {
      problems.add(at + ": '" + field + "' is required");
      return;
    }
    if (list.contains("*") && list.size() > 1 && !field.equals("resources")) {
      problems.add(at + ": '" + field + "': '*' must be the only entry");
    }
  }

  private static Optional<LabelSelector> selector(JsonNode node, String at, List<String> problems) {
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    try {
      LabelSelector s = Json.convert(node, LabelSelector.class);
      s.validate();
      return Optional.of(s);
    } catch (IllegalArgumentException e) {
      problems.add(at + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  private static String text(JsonNode node, String field, String where, List<String> problems) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      problems.add(where + ": field '" + field + "': expected a string");
      return null;
    }
    return value.asText();
  }

  private static Optional<Boolean> bool(
      JsonNode node, String field, String where, List<String> problems) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isBoolean()) {
      problems.add(where + ": field '" + field + "': expected true or false");
      return Optional.empty();
    }
    return Optional.of(value.booleanValue());
  }

  /**
   * Why a local module file cannot be used, checked here so that a missing file is reported with
   * every other problem of the file; saying where a relative path was looked for.
   */
  private static Optional<String> missingFile(
      ModuleReference module, String configured, Path baseDir) {
    Optional<Path> file = module.localPath();
    if (file.isEmpty() || Files.isRegularFile(file.get())) {
      return Optional.empty();
    }
    String problem =
        Files.exists(file.get())
            ? "is not a regular file (give the path of a .wasm file)"
            : "file not found";
    boolean relative =
        !ModuleReference.parse(configured).localPath().map(Path::isAbsolute).orElse(true);
    return Optional.of(
        "field 'module': "
            + file.get()
            + " "
            + problem
            + (relative && baseDir != null
                ? " ('"
                    + configured
                    + "' is relative, so it was resolved against the configuration file's folder "
                    + baseDir
                    + ")"
                : ""));
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }

  private static Path resolve(Path baseDir, String path) {
    Path p = Path.of(path);
    return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p).normalize();
  }

  /** The value {@code parse} returns, or empty when it rejects its input. */
  private static <T> Optional<T> parsed(java.util.function.Supplier<T> parse) {
    try {
      return Optional.of(parse.get());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
