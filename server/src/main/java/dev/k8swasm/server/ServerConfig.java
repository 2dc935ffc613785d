package dev.k8swasm.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.config.CacheConfig;
import dev.k8swasm.config.ConfigException;
import dev.k8swasm.config.ConfigLoader;
import dev.k8swasm.config.ModuleConfig;
import dev.k8swasm.config.PolicyConfig;
import dev.k8swasm.config.Quantities;
import dev.k8swasm.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The server's configuration file: optional {@code authentication}, {@code authorization} and
 * {@code admission} sections, and server settings.
 *
 * <pre>{@code
 * port: 8443
 * maxRequestBytes: 8Mi
 * authentication:
 *   implicitAudiences: ["https://kubernetes.default.svc"]
 *   modules:
 *   - name: magic-authenticator
 *     module: modules/magic_authenticator.wasm
 * authorization:
 *   path: authorization.yaml          # a module list file, relative to this file's folder
 *   cache: {authorizedTtl: 5m}        # optional: a decision cache (authentication too)
 * admission:
 *   path: admission-configuration.yaml  # a module list or an AdmissionConfiguration
 * }</pre>
 *
 * <p>A section is either a module list written inline (the seed format: {@code modules: [...]}, for
 * authentication also {@code implicitAudiences}; for admission also an inline
 * AdmissionConfiguration), or {@code path:} to a file in that format. Reading validates the
 * structure and every field; it does not load modules.
 */
final class ServerConfig {
  private final Path file;
  private final FileSettings settings;
  private final PolicyConfig authentication;
  private final PolicyConfig authorization;
  private final PolicyConfig admission;
  private final PoliciesFile policies;
  private final Set<Path> files;

  private ServerConfig(
      Path file,
      FileSettings settings,
      Optional<PolicyConfig> authentication,
      Optional<PolicyConfig> authorization,
      Optional<PolicyConfig> admission,
      Optional<PoliciesFile> policies,
      Set<Path> files) {
    files = Set.copyOf(files);
    this.file = file;
    this.settings = settings;
    this.authentication = authentication.orElse(null);
    this.authorization = authorization.orElse(null);
    this.admission = admission.orElse(null);
    this.policies = policies.orElse(null);
    this.files = files;
  }

  /** The configuration file. */
  public Path file() {
    return file;
  }

  /** The server settings it holds. */
  public FileSettings settings() {
    return settings;
  }

  /** The authentication modules, if configured. */
  public Optional<PolicyConfig> authentication() {
    return Optional.ofNullable(authentication);
  }

  /** The authorization modules, if configured. */
  public Optional<PolicyConfig> authorization() {
    return Optional.ofNullable(authorization);
  }

  /** The admission modules, if configured (with the policies of {@code policies}). */
  public Optional<PolicyConfig> admission() {
    return Optional.ofNullable(admission);
  }

  /** The policy-server {@code policies.yml}, if configured. */
  public Optional<PoliciesFile> policies() {
    return Optional.ofNullable(policies);
  }

  /** Every file the configuration is made of: this file, section files and module files. */
  public Set<Path> files() {
    return files;
  }

  static final String AUTHENTICATION = "authentication";
  static final String AUTHORIZATION = "authorization";
  static final String ADMISSION = "admission";
  static final String POLICIES = "policies";
  static final String CACHE = "cache";

  /** The setting keys, as written in the file. */
  static final List<String> SETTING_KEYS =
      List.of(
          "address",
          "port",
          "metricsPort",
          "tlsCertFile",
          "tlsKeyFile",
          "clientCAFile",
          "tlsSANs",
          "maxRequestBytes",
          "workers",
          "queueSize",
          "gracePeriod",
          "reloadInterval",
          "watch",
          "limits",
          POLICIES);

  /** Server settings found in the file; null = not set. Paths are resolved. */
  record FileSettings(
      String address,
      Integer port,
      Integer metricsPort,
      Path tlsCert,
      Path tlsKey,
      Path clientCa,
      List<String> tlsNames,
      Long maxRequestBytes,
      Integer workers,
      Integer queueSize,
      Duration gracePeriod,
      Duration reloadInterval,
      Boolean watch,
      java.util.Map<String, Object> limits) {
    FileSettings {
      limits = java.util.Map.copyOf(limits);
    }
  }

  /** Whether any section is configured. */
  boolean empty() {
    return authentication == null && authorization == null && admission == null;
  }

  /**
   * Reads and validates {@code file}.
   *
   * @throws ConfigException listing every problem, each naming the file, section and field
   */
  static ServerConfig read(Path file) {
    ServerLimits d = ServerLimits.defaults(1, 0);
    return read(file, d.maxConfigBytes(), d.maxModuleBytes());
  }

  /**
   * Reads and validates {@code file}, refusing (before reading them) configuration files larger
   * than {@code maxConfigBytes} and module files larger than {@code maxModuleBytes}.
   *
   * @throws ConfigException listing every problem, each naming the file, section and field
   */
  static ServerConfig read(Path file, long maxConfigBytes, long maxModuleBytes) {
    Path abs = file.toAbsolutePath().normalize();
    refuseLarge(abs, maxConfigBytes, "maxConfigBytes");
    JsonNode root = ConfigLoader.readDocument(abs);
    String where = file.toString();
    if (PoliciesFile.looksLike(root, keys())) {
      PoliciesFile only = PoliciesFile.parse(root, abs);
      Set<Path> files = new LinkedHashSet<>();
      files.add(abs);
      return new ServerConfig(
          abs,
          settings(
              com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
              abs.getParent(),
              where,
              new ArrayList<>()),
          Optional.empty(),
          Optional.empty(),
          withPolicies(Optional.empty(), only, files, new ArrayList<>()),
          Optional.of(only),
          files);
    }
    if (!root.isObject()) {
      throw new ConfigException(
          where + ": expected an object with 'authentication', 'authorization' or 'admission'");
    }
    List<String> problems = new ArrayList<>();
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!key.equals(AUTHENTICATION)
          && !key.equals(AUTHORIZATION)
          && !key.equals(ADMISSION)
          && !SETTING_KEYS.contains(key)) {
        problems.add(
            where
                + ": unknown top-level field '"
                + key
                + "' (expected authentication, authorization, admission or one of "
                + String.join(", ", SETTING_KEYS)
                + ")");
      }
    }
    Path base = abs.getParent();
    Set<Path> files = new LinkedHashSet<>();
    files.add(abs);
    FileSettings settings = settings(root, base, where, problems);
    Optional<PolicyConfig> authn =
        section(root, AUTHENTICATION, base, where, files, problems, maxConfigBytes);
    Optional<PolicyConfig> authz =
        section(root, AUTHORIZATION, base, where, files, problems, maxConfigBytes);
    Optional<PolicyConfig> admission =
        section(root, ADMISSION, base, where, files, problems, maxConfigBytes);
    Optional<PoliciesFile> policies = policiesFile(root, base, where, files, problems);
    if (policies.isPresent()) {
      admission = withPolicies(admission, policies.get(), files, problems);
    }
    if (authn.isEmpty() && authz.isEmpty() && admission.isEmpty() && problems.isEmpty()) {
      problems.add(
          where
              + ": no section configured (give at least one of authentication, authorization,"
              + " admission, policies)");
    }
    for (Path f : files) {
      if (!f.equals(abs)) {
        String problem =
            largerThan(
                f,
                isModule(f) ? maxModuleBytes : maxConfigBytes,
                isModule(f) ? "maxModuleBytes" : "maxConfigBytes");
        if (problem != null) {
          problems.add(problem);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new ServerConfig(abs, settings, authn, authz, admission, policies, files);
  }

  private static Set<String> keys() {
    Set<String> keys = new LinkedHashSet<>(SETTING_KEYS);
    keys.addAll(List.of(AUTHENTICATION, AUTHORIZATION, ADMISSION));
    return keys;
  }

  /** The policy-server {@code policies.yml} named by the top-level {@code policies} key. */
  private static Optional<PoliciesFile> policiesFile(
      JsonNode root, Path base, String where, Set<Path> files, List<String> problems) {
    JsonNode path = root.get(POLICIES);
    if (path == null || path.isNull()) {
      return Optional.empty();
    }
    if (!path.isTextual() || path.asText().isBlank()) {
      problems.add(where + ": 'policies' must be the file name of a policy-server policies.yml");
      return Optional.empty();
    }
    Path target = base.resolve(path.asText()).normalize();
    files.add(target);
    try {
      return Optional.of(PoliciesFile.parse(ConfigLoader.readDocument(target), target));
    } catch (ConfigException e) {
      problems.addAll(e.problems());
      return Optional.empty();
    }
  }

  /**
   * The admission modules with the policies of {@code policies} appended; a policy id that is also
   * an admission module's name is a problem.
   */
  private static Optional<PolicyConfig> withPolicies(
      Optional<PolicyConfig> admission,
      PoliciesFile policies,
      Set<Path> files,
      List<String> problems) {
    List<ModuleConfig> modules = new ArrayList<>();
    Set<String> names = new java.util.HashSet<>();
    admission.ifPresent(a -> a.modules().forEach(m -> names.add(m.name())));
    admission.ifPresent(a -> modules.addAll(a.modules()));
    for (ModuleConfig m : policies.policies()) {
      if (!names.add(m.name())) {
        problems.add(m.source() + ": the id '" + m.name() + "' is also an admission module's name");
      }
      m.module().localPath().ifPresent(p -> files.add(p.toAbsolutePath().normalize()));
      modules.add(m);
    }
    if (modules.isEmpty()) {
      return admission;
    }
    // the section's cache (refused for admission when the chains are built) is kept, not dropped
    return Optional.of(
        PolicyConfig.of(
            modules,
            List.of(),
            admission.flatMap(PolicyConfig::file).orElse(policies.file()),
            admission.flatMap(PolicyConfig::cache).orElse(null)));
  }

  private static boolean isModule(Path f) {
    String n = f.getFileName().toString();
    return !(n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json"));
  }

  /** Refuses {@code file} when it is larger than {@code max} bytes, without reading it. */
  static void refuseLarge(Path file, long max, String limit) {
    String problem = largerThan(file, max, limit);
    if (problem != null) {
      throw new ConfigException(problem);
    }
  }

  private static String largerThan(Path file, long max, String limit) {
    try {
      long size = Files.size(file);
      if (size > max) {
        return file
            + ": the file has "
            + size
            + " bytes, more than the limit of "
            + max
            + " (limits."
            + limit
            + "); it was not read";
      }
    } catch (IOException e) {
      // missing or unreadable: reported by whoever reads it
    }
    return null;
  }

  /**
   * The files {@code file} is made of, as far as it can be read: used to keep watching a broken
   * configuration so that fixing any of its files triggers a reload.
   */
  static Set<Path> filesOf(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    Set<Path> files = new LinkedHashSet<>();
    files.add(abs);
    try {
      refuseLarge(abs, ServerLimits.defaults(1, 0).maxConfigBytes(), "maxConfigBytes");
      JsonNode root = ConfigLoader.readDocument(abs);
      for (String name : List.of(AUTHENTICATION, AUTHORIZATION, ADMISSION)) {
        try {
          section(
              root,
              name,
              abs.getParent(),
              file.toString(),
              files,
              new ArrayList<>(),
              ServerLimits.defaults(1, 0).maxConfigBytes());
        } catch (ConfigException e) {
          // keep what was found
        }
      }
    } catch (ConfigException e) {
      // the file itself is broken: watch it alone
    }
    return files;
  }

  private static Optional<PolicyConfig> section(
      JsonNode root,
      String name,
      Path base,
      String where,
      Set<Path> files,
      List<String> problems,
      long maxConfigBytes) {
    JsonNode node = root.get(name);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    String at = where + ": " + name;
    if (!node.isObject()) {
      problems.add(at + ": expected an object ('modules: [...]' or 'path: FILE')");
      return Optional.empty();
    }
    PolicyConfig config;
    try {
      JsonNode path = node.get("path");
      if (path != null && !(node.has("kind") && node.has("plugins"))) {
        if (!path.isTextual() || path.asText().isBlank()) {
          problems.add(at + ": 'path' must be a file name");
          return Optional.empty();
        }
        // beside 'path', only 'cache' (authentication and authorization: the decision cache)
        if (node.size() > (node.has(CACHE) ? 2 : 1)) {
          problems.add(
              at
                  + ": give either 'path' or the module list inline, not both (found "
                  + String.join(", ", names(node))
                  + "; only 'cache' may be given beside 'path')");
          return Optional.empty();
        }
        Path target = base.resolve(path.asText()).normalize();
        files.add(target);
        String tooLarge = largerThan(target, maxConfigBytes, "maxConfigBytes");
        if (tooLarge != null) {
          problems.add(tooLarge);
          return Optional.empty();
        }
        nestedFile(target, files);
        config = withCache(ConfigLoader.load(target), node.get(CACHE), at);
      } else {
        nestedFile(node, base, files);
        config = ConfigLoader.parse(node, base, at);
      }
    } catch (ConfigException e) {
      problems.addAll(e.problems());
      return Optional.empty();
    }
    for (ModuleConfig m : config.modules()) {
      m.module().localPath().ifPresent(p -> files.add(p.toAbsolutePath().normalize()));
    }
    if (config.modules().isEmpty()) {
      problems.add(at + ": the module list is empty");
    }
    return Optional.of(config);
  }

  /**
   * {@code config} with the {@code cache} written beside its section's {@code path}, if any (which
   * the file itself must then not configure).
   *
   * @throws ConfigException for a bad cache, or one configured twice
   */
  private static PolicyConfig withCache(PolicyConfig config, JsonNode cache, String at) {
    if (cache == null) {
      return config;
    }
    Optional<CacheConfig> c = CacheConfig.parse(cache, at + ": " + CACHE);
    if (config.cache().isPresent()) {
      throw new ConfigException(
          at
              + ": 'cache' is configured both here and in "
              + config.file().map(Path::toString).orElse("the file")
              + "; keep one");
    }
    return PolicyConfig.of(
        config.modules(), config.implicitAudiences(), config.file().orElse(null), c.orElse(null));
  }

  /** An AdmissionConfiguration file may point at the module list with a plugin 'path'. */
  private static void nestedFile(Path file, Set<Path> files) {
    try {
      nestedFile(Json.readTree(Files.readAllBytes(file)), file.getParent(), files);
    } catch (IOException | IllegalArgumentException e) {
      // reported by ConfigLoader
    }
  }

  private static void nestedFile(JsonNode node, Path base, Set<Path> files) {
    if (!"AdmissionConfiguration".equals(node.path("kind").asText())) {
      return;
    }
    for (JsonNode plugin : node.path("plugins")) {
      if (ConfigLoader.PLUGIN_NAME.equals(plugin.path("name").asText())
          && plugin.path("path").isTextual()
          && !plugin.has("configuration")) {
        files.add(base.resolve(plugin.path("path").asText()).toAbsolutePath().normalize());
      }
    }
  }

  private static List<String> names(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static FileSettings settings(
      JsonNode root, Path base, String where, List<String> problems) {
    return new FileSettings(
        text(root, "address", where, problems),
        port(root, "port", where, problems),
        port(root, "metricsPort", where, problems),
        path(root, "tlsCertFile", base, where, problems),
        path(root, "tlsKeyFile", base, where, problems),
        path(root, "clientCAFile", base, where, problems),
        strings(root, "tlsSANs", where, problems),
        size(root, "maxRequestBytes", where, problems),
        positive(root, "workers", where, problems),
        nonNegative(root, "queueSize", where, problems),
        duration(root, "gracePeriod", where, problems, true),
        duration(root, "reloadInterval", where, problems, false),
        bool(root, "watch", where, problems),
        LimitsConfig.read(root, where, problems));
  }

  private static String text(JsonNode root, String key, String where, List<String> problems) {
    JsonNode v = root.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      problems.add(where + ": field '" + key + "': expected a non-empty string");
      return null;
    }
    return v.asText();
  }

  private static Path path(
      JsonNode root, String key, Path base, String where, List<String> problems) {
    String s = text(root, key, where, problems);
    return s == null ? null : base.resolve(s).normalize();
  }

  private static List<String> strings(
      JsonNode root, String key, String where, List<String> problems) {
    JsonNode v = root.get(key);
    if (v == null || v.isNull()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    if (!v.isArray()) {
      problems.add(where + ": field '" + key + "': expected a list of strings");
      return List.of();
    }
    for (JsonNode e : v) {
      if (!e.isTextual() || e.asText().isBlank()) {
        problems.add(where + ": field '" + key + "': expected a list of strings");
        return List.of();
      }
      out.add(e.asText());
    }
    return out;
  }

  private static Integer integer(JsonNode root, String key, String where, List<String> problems) {
    JsonNode v = root.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      problems.add(where + ": field '" + key + "': expected a whole number");
      return null;
    }
    return v.intValue();
  }

  private static Integer port(JsonNode root, String key, String where, List<String> problems) {
    Integer p = integer(root, key, where, problems);
    if (p != null && (p < 0 || p > 65535)) {
      problems.add(where + ": field '" + key + "': not a port number (0..65535): " + p);
      return null;
    }
    return p;
  }

  static Integer positive(JsonNode root, String key, String where, List<String> problems) {
    Integer n = integer(root, key, where, problems);
    if (n != null && n <= 0) {
      problems.add(where + ": field '" + key + "': must be at least 1, got " + n);
      return null;
    }
    return n;
  }

  static Integer nonNegative(JsonNode root, String key, String where, List<String> problems) {
    Integer n = integer(root, key, where, problems);
    if (n != null && n < 0) {
      problems.add(where + ": field '" + key + "': must not be negative, got " + n);
      return null;
    }
    return n;
  }

  static Long size(JsonNode root, String key, String where, List<String> problems) {
    JsonNode v = root.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    try {
      long n = Quantities.parseBytes(v.asText());
      if (n <= 0) {
        throw new IllegalArgumentException("must be more than zero");
      }
      return n;
    } catch (IllegalArgumentException e) {
      problems.add(where + ": field '" + key + "': " + e.getMessage());
      return null;
    }
  }

  static Duration duration(
      JsonNode root, String key, String where, List<String> problems, boolean zeroAllowed) {
    JsonNode v = root.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    try {
      Duration d = Quantities.parseDuration(v.asText());
      if (d.isZero() && !zeroAllowed) {
        throw new IllegalArgumentException("must be more than zero");
      }
      return d;
    } catch (IllegalArgumentException e) {
      problems.add(where + ": field '" + key + "': " + e.getMessage());
      return null;
    }
  }

  private static Boolean bool(JsonNode root, String key, String where, List<String> problems) {
    JsonNode v = root.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      problems.add(where + ": field '" + key + "': expected true or false");
      return null;
    }
    return v.booleanValue();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ServerConfig o
        && Objects.equals(file, o.file)
        && Objects.equals(settings, o.settings)
        && Objects.equals(authentication, o.authentication)
        && Objects.equals(authorization, o.authorization)
        && Objects.equals(admission, o.admission)
        && Objects.equals(policies, o.policies)
        && Objects.equals(files, o.files);
  }

  @Override
  public int hashCode() {
    return Objects.hash(file, settings, authentication, authorization, admission, policies, files);
  }

  @Override
  public String toString() {
    return "ServerConfig[file="
        + file
        + ", settings="
        + settings
        + ", authentication="
        + authentication
        + ", authorization="
        + authorization
        + ", admission="
        + admission
        + ", policies="
        + policies
        + ", files="
        + files
        + "]";
  }
}
