package dev.k8swasm.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.k8swasm.admission.AdmissionChain;
import dev.k8swasm.admission.AdmissionHook;
import dev.k8swasm.admission.FailurePolicy;
import dev.k8swasm.admission.LabelSelector;
import dev.k8swasm.admission.ReinvocationPolicy;
import dev.k8swasm.admission.rules.RuleWithOperations;
import dev.k8swasm.config.ChainOptions;
import dev.k8swasm.config.Chains;
import dev.k8swasm.config.ModuleConfig;
import dev.k8swasm.config.Quantities;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.ModuleSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what kube-apiserver needs to call the server ({@code k8s-wasm serve --print-kube-config
 * DIR}):
 *
 * <ul>
 *   <li>{@code authentication-webhook.kubeconfig} for {@code
 *       --authentication-token-webhook-config-file};
 *   <li>{@code authorization-webhook.kubeconfig} for {@code --authorization-webhook-config-file},
 *       and {@code authorization-config.yaml}, the same as a structured AuthorizationConfiguration
 *       ({@code --authorization-config});
 *   <li>{@code mutating-webhook-configuration.yaml} and {@code
 *       validating-webhook-configuration.yaml}: one webhook per admission module, calling {@code
 *       /mutate/NAME} or {@code /validate/NAME} with the module's rules, selectors and failure
 *       policy, {@code sideEffects: None}, {@code admissionReviewVersions: ["v1"]} and a {@code
 *       timeoutSeconds} one second above the module's deadline;
 *   <li>{@code README.txt}: the kube-apiserver flags.
 * </ul>
 *
 * The CA bundle is filled in everywhere. Admission webhooks address the server by URL, or by
 * Service when the server runs in the cluster.
 */
public final class KubeConfigs {
  private static final Logger LOG = LoggerFactory.getLogger(KubeConfigs.class);

  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .build();

  /** The suffix making module names into webhook names (which need at least three segments). */
  public static final String WEBHOOK_SUFFIX = ".k8s-wasm.admission";

  /** The name of the generated webhook configurations. */
  public static final String CONFIGURATION_NAME = "k8s-wasm";

  public static final String AUTHN_KUBECONFIG = "authentication-webhook.kubeconfig";
  public static final String AUTHZ_KUBECONFIG = "authorization-webhook.kubeconfig";
  public static final String AUTHZ_CONFIG = "authorization-config.yaml";
  public static final String MUTATING = "mutating-webhook-configuration.yaml";
  public static final String VALIDATING = "validating-webhook-configuration.yaml";
  public static final String README = "README.txt";

  /** Where kube-apiserver reaches the server: a URL, or a Service in the cluster. */
  public sealed interface Target {
    /** {@code https://host:port}, without a path. */
    record Url(String base) implements Target {
      public Url {
        Objects.requireNonNull(base, "base");
        if (!base.startsWith("https://")) {
          throw new IllegalArgumentException("the server URL must start with https://: " + base);
        }
        while (base.endsWith("/")) {
          base = base.substring(0, base.length() - 1);
        }
      }
    }

    /** A Service: admission webhooks use {@code clientConfig.service}, kubeconfigs its DNS name. */
    record Service(String namespace, String name, int port) implements Target {}
  }

  private KubeConfigs() {}

  /** Parses {@code NAMESPACE/NAME[:PORT]} (port default 443). */
  public static Target.Service parseService(String text) {
    String s = text.trim();
    int port = 443;
    int colon = s.lastIndexOf(':');
    if (colon > 0) {
      try {
        port = Integer.parseInt(s.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid service port in '" + text + "'");
      }
      s = s.substring(0, colon);
    }
    int slash = s.indexOf('/');
    if (slash <= 0 || slash == s.length() - 1 || s.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException(
          "invalid service '" + text + "': use NAMESPACE/NAME or NAMESPACE/NAME:PORT");
    }
    return new Target.Service(s.substring(0, slash), s.substring(slash + 1), port);
  }

  /**
   * Loads the configuration of {@code configFile} (every module, to learn rules and phases) and
   * writes the files into {@code dir}.
   *
   * @param caPem the CA certificate(s) that signed the server's certificate, PEM
   * @param mutual whether the server requires client certificates (the kubeconfigs then name a
   *     client certificate and key, to be provided)
   * @param customizer applied to every module spec, as the server does (limits from flags)
   * @return the files written
   */
  public static List<Path> write(
      Path configFile,
      Target target,
      String caPem,
      boolean mutual,
      UnaryOperator<ModuleSpec.Builder> customizer,
      Path dir)
      throws IOException {
    return write(configFile, target, caPem, mutual, customizer, false, dir);
  }

  /**
   * As {@link #write(Path, Target, String, boolean, UnaryOperator, Path)}, loading the policies.yml
   * as the server does with {@link WebhookServer.Builder#continueOnPolicyErrors}: when {@code
   * continueOnPolicyErrors} is true, a policy (or a policy group) that fails to initialize has no
   * metadata to take rules from, so no webhook is written for it (a warning names it) instead of
   * the whole configuration being refused.
   */
  public static List<Path> write(
      Path configFile,
      Target target,
      String caPem,
      boolean mutual,
      UnaryOperator<ModuleSpec.Builder> customizer,
      boolean continueOnPolicyErrors,
      Path dir)
      throws IOException {
    ServerConfig config = ServerConfig.read(configFile);
    Policies policies =
        Policies.load(
            config,
            ChainOptions.builder().specCustomizer(customizer).build(),
            1,
            continueOnPolicyErrors);
    try {
      return write(policies, target, caPem, mutual, customizer, dir);
    } finally {
      policies.releaseNow();
    }
  }

  static List<Path> write(
      Policies policies,
      Target target,
      String caPem,
      boolean mutual,
      UnaryOperator<ModuleSpec.Builder> customizer,
      Path dir)
      throws IOException {
    Files.createDirectories(dir);
    String caData = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII));
    List<Path> written = new ArrayList<>();
    ServerConfig config = policies.config();
    if (config.authentication().isPresent()) {
      written.add(
          write(
              dir.resolve(AUTHN_KUBECONFIG),
              "# kube-apiserver --authentication-token-webhook-config-file="
                  + AUTHN_KUBECONFIG
                  + " --authentication-token-webhook-version=v1\n",
              kubeconfig(
                  "k8s-wasm-authn", url(target, WebhookServer.AUTHENTICATE), caData, mutual)));
    }
    if (config.authorization().isPresent()) {
      written.add(
          write(
              dir.resolve(AUTHZ_KUBECONFIG),
              "# kube-apiserver --authorization-webhook-config-file="
                  + AUTHZ_KUBECONFIG
                  + " --authorization-webhook-version=v1 --authorization-mode=Node,RBAC,Webhook\n",
              kubeconfig("k8s-wasm-authz", url(target, WebhookServer.AUTHORIZE), caData, mutual)));
      // the modules are asked one after the other, each within its deadline
      Duration chain =
          config.authorization().get().modules().stream()
              .map(m -> deadline(m, customizer))
              .reduce(Duration.ZERO, Duration::plus);
      Duration timeout = webhookTimeout(chain);
      written.add(
          write(
              dir.resolve(AUTHZ_CONFIG),
              "# kube-apiserver --authorization-config="
                  + AUTHZ_CONFIG
                  + " (Kubernetes 1.30+, instead of --authorization-mode and the webhook flags)\n"
                  + "# kubeConfigFile must be the path of "
                  + AUTHZ_KUBECONFIG
                  + " on the kube-apiserver's host.\n",
              authorizationConfig(timeout)));
    }
    policies
        .initializationErrors()
        .forEach(
            (id, cause) ->
                LOG.warn(
                    "policy '{}' failed to initialize: no webhook is written for it ({})",
                    LogText.escape(id),
                    LogText.escape(cause)));
    AdmissionChain admission = policies.admission().orElse(null);
    if (admission == null && !policies.groupHooks().isEmpty()) {
      admission = AdmissionChain.builder().build();
    }
    if (admission != null) {
      if (!admission.mutators().isEmpty()) {
        written.add(
            write(
                dir.resolve(MUTATING),
                "# kubectl apply -f " + MUTATING + "\n",
                webhookConfiguration(
                    "MutatingWebhookConfiguration",
                    admission.mutators(),
                    policies,
                    target,
                    caData,
                    customizer)));
      }
      // policy groups are validating webhooks too, on /validate/GROUP as policy-server's
      List<AdmissionHook> validators = new ArrayList<>(admission.validators());
      validators.addAll(policies.groupHooks());
      if (!validators.isEmpty()) {
        written.add(
            write(
                dir.resolve(VALIDATING),
                "# kubectl apply -f " + VALIDATING + "\n",
                webhookConfiguration(
                    "ValidatingWebhookConfiguration",
                    validators,
                    policies,
                    target,
                    caData,
                    customizer)));
      }
    }
    Path readme = dir.resolve(README);
    Files.writeString(readme, readme(config, mutual));
    written.add(readme);
    return written;
  }

  /** {@code timeoutSeconds} / {@code timeout}: one second above the deadline, 1..30 s. */
  static Duration webhookTimeout(Duration deadline) {
    long seconds = (deadline.toMillis() + 999) / 1000 + 1;
    return Duration.ofSeconds(Math.max(1, Math.min(30, seconds)));
  }

  private static ObjectNode kubeconfig(
      String cluster, String server, String caData, boolean mutual) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("apiVersion", "v1");
    root.put("kind", "Config");
    ObjectNode c = root.putArray("clusters").addObject();
    c.put("name", cluster);
    c.putObject("cluster").put("server", server).put("certificate-authority-data", caData);
    ObjectNode u = root.putArray("users").addObject();
    u.put("name", "kube-apiserver");
    ObjectNode user = u.putObject("user");
    if (mutual) {
      // the server requires a client certificate signed by its --client-ca
      user.put("client-certificate", "/etc/kubernetes/pki/k8s-wasm-client.crt");
      user.put("client-key", "/etc/kubernetes/pki/k8s-wasm-client.key");
    }
    ObjectNode ctx = root.putArray("contexts").addObject();
    ctx.put("name", "webhook");
    ctx.putObject("context").put("cluster", cluster).put("user", "kube-apiserver");
    root.put("current-context", "webhook");
    return root;
  }

  private static ObjectNode authorizationConfig(Duration timeout) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("apiVersion", "apiserver.config.k8s.io/v1");
    root.put("kind", "AuthorizationConfiguration");
    ArrayNode authorizers = root.putArray("authorizers");
    authorizers.addObject().put("type", "Node").put("name", "node");
    authorizers.addObject().put("type", "RBAC").put("name", "rbac");
    ObjectNode w = authorizers.addObject().put("type", "Webhook").put("name", "k8s-wasm");
    ObjectNode webhook = w.putObject("webhook");
    webhook.put("timeout", Quantities.formatDuration(timeout));
    webhook.put("subjectAccessReviewVersion", "v1");
    webhook.put("matchConditionSubjectAccessReviewVersion", "v1");
    webhook.put("failurePolicy", "NoOpinion");
    webhook.put("authorizedTTL", "5m");
    webhook.put("unauthorizedTTL", "30s");
    webhook
        .putObject("connectionInfo")
        .put("type", "KubeConfigFile")
        .put("kubeConfigFile", "/etc/kubernetes/k8s-wasm/" + AUTHZ_KUBECONFIG);
    return root;
  }

  private static ObjectNode webhookConfiguration(
      String kind,
      List<AdmissionHook> hooks,
      Policies policies,
      Target target,
      String caData,
      UnaryOperator<ModuleSpec.Builder> customizer) {
    boolean mutating = kind.startsWith("Mutating");
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("apiVersion", "admissionregistration.k8s.io/v1");
    root.put("kind", kind);
    root.putObject("metadata").put("name", CONFIGURATION_NAME);
    ArrayNode webhooks = root.putArray("webhooks");
    for (AdmissionHook h : hooks) {
      if (h.rules().isEmpty()) {
        LOG.warn("module '{}' has no rules: no webhook is written for it", h.name());
        continue;
      }
      ObjectNode w = webhooks.addObject();
      w.put("name", webhookName(h.name()));
      w.putArray("admissionReviewVersions").add("v1");
      w.put("sideEffects", "None");
      w.put("failurePolicy", h.failurePolicy() == FailurePolicy.IGNORE ? "Ignore" : "Fail");
      w.put("matchPolicy", "Equivalent");
      Duration deadline =
          policies
              .admissionModule(h.name())
              .map(m -> deadline(m, customizer))
              .or(() -> groupDeadline(policies.groupMembers(h.name()), customizer))
              .orElse(Duration.ofSeconds(2));
      w.put("timeoutSeconds", webhookTimeout(deadline).toSeconds());
      // a policy of a policies.yml is called as policy-server's are: /validate/ID in both phases
      String path =
          (mutating && policies.policyServer(h.name()).isEmpty()
                  ? WebhookServer.MUTATE
                  : WebhookServer.VALIDATE)
              + "/"
              + pathSegment(h.name());
      ObjectNode client = w.putObject("clientConfig");
      if (target instanceof Target.Service s) {
        client
            .putObject("service")
            .put("namespace", s.namespace())
            .put("name", s.name())
            .put("path", path)
            .put("port", s.port());
      } else {
        client.put("url", ((Target.Url) target).base() + path);
      }
      client.put("caBundle", caData);
      ArrayNode rules = w.putArray("rules");
      for (RuleWithOperations r : h.rules()) {
        rules.add(Json.toTree(r));
      }
      if (!empty(h.namespaceSelector())) {
        w.set("namespaceSelector", Json.toTree(h.namespaceSelector()));
      }
      if (!empty(h.objectSelector())) {
        w.set("objectSelector", Json.toTree(h.objectSelector()));
      }
      if (mutating) {
        w.put(
            "reinvocationPolicy",
            h.reinvocationPolicy() == ReinvocationPolicy.IF_NEEDED ? "IfNeeded" : "Never");
      }
    }
    return root;
  }

  /** A group may evaluate all its members, one after another: the sum of their deadlines. */
  private static Optional<Duration> groupDeadline(
      List<ModuleConfig> members, UnaryOperator<ModuleSpec.Builder> customizer) {
    return members.stream().map(m -> deadline(m, customizer)).reduce(Duration::plus);
  }

  private static Duration deadline(ModuleConfig m, UnaryOperator<ModuleSpec.Builder> customizer) {
    return customizer.apply(Chains.spec(m)).build().limits().timeout();
  }

  private static boolean empty(LabelSelector s) {
    return s == null
        || ((s.matchLabels() == null || s.matchLabels().isEmpty())
            && (s.matchExpressions() == null || s.matchExpressions().isEmpty()));
  }

  /** A DNS-subdomain webhook name for module {@code module}. */
  static String webhookName(String module) {
    String s = module.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    s = s.replaceAll("^[.-]+|[.-]+$", "");
    if (s.isEmpty()) {
      s = "module";
    }
    if (s.length() > 63) {
      s = s.substring(0, 63).replaceAll("[.-]+$", "");
    }
    return s + WEBHOOK_SUFFIX;
  }

  /** {@code name} as one URL path segment (the server decodes it). */
  static String pathSegment(String name) {
    StringBuilder out = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", c));
      }
    }
    return out.toString();
  }

  private static String url(Target target, String path) {
    if (target instanceof Target.Service s) {
      return "https://"
          + s.name()
          + "."
          + s.namespace()
          + ".svc"
          + (s.port() == 443 ? "" : ":" + s.port())
          + path;
    }
    return ((Target.Url) target).base() + path;
  }

  private static Path write(Path file, String header, ObjectNode document) throws IOException {
    Files.writeString(file, header + yaml(document));
    return file;
  }

  /** {@code document} as YAML, quoting only where needed. */
  static String yaml(ObjectNode document) {
    try {
      return YAML.writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String readme(ServerConfig config, boolean mutual) {
    StringBuilder s = new StringBuilder();
    s.append("Files for kube-apiserver to call k8s-wasm serve (generated from ")
        .append(config.file().getFileName())
        .append(").\n\n");
    if (config.authentication().isPresent()) {
      s.append("Authentication (TokenReview):\n")
          .append("  --authentication-token-webhook-config-file=/path/to/")
          .append(AUTHN_KUBECONFIG)
          .append("\n  --authentication-token-webhook-version=v1\n")
          .append("  --authentication-token-webhook-cache-ttl=2m   (the default)\n\n");
    }
    if (config.authorization().isPresent()) {
      s.append("Authorization (SubjectAccessReview), either\n")
          .append("  --authorization-mode=Node,RBAC,Webhook\n")
          .append("  --authorization-webhook-config-file=/path/to/")
          .append(AUTHZ_KUBECONFIG)
          .append("\n  --authorization-webhook-version=v1\n")
          .append("or (Kubernetes 1.30+) --authorization-config=/path/to/")
          .append(AUTHZ_CONFIG)
          .append(" (edit its kubeConfigFile path).\n\n");
    }
    if (config.admission().isPresent()) {
      s.append("Admission: kubectl apply -f ")
          .append(MUTATING)
          .append(" -f ")
          .append(VALIDATING)
          .append("\n  (one webhook per module; each calls /mutate/NAME or /validate/NAME).\n\n");
    }
    if (mutual) {
      s.append("The server requires client certificates (--client-ca): give kube-apiserver a\n")
          .append("certificate signed by that CA, at the client-certificate / client-key paths\n")
          .append("of the kubeconfigs, and for admission webhooks in its\n")
          .append(
              "--admission-control-config-file (WebhookAdmissionConfiguration kubeConfigFile).\n");
    }
    return s.toString();
  }
}
