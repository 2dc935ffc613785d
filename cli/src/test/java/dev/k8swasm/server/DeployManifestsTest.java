package dev.k8swasm.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.cli.K8sWasm;
import dev.k8swasm.cli.ServeCommandTest;
import dev.k8swasm.config.ModuleConfig;
import dev.k8swasm.config.Quantities;
import dev.k8swasm.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The manifests in {@code deploy/} agree with the server: its flags, ports, paths, files, and the
 * webhook configurations {@code serve --print-kube-config} writes.
 */
class DeployManifestsTest {
  static final Path DEPLOY = Fixture.root().resolve("deploy");

  @TempDir Path dir;

  static List<JsonNode> documents(String file) throws Exception {
    List<JsonNode> docs = new ArrayList<>();
    try (var it =
        Json.yamlReader()
            .forType(JsonNode.class)
            .readValues(Files.readString(DEPLOY.resolve(file)))) {
      while (it.hasNext()) {
        JsonNode d = (JsonNode) it.next();
        if (d != null && !d.isNull() && !d.isEmpty()) {
          docs.add(d);
        }
      }
    }
    return docs;
  }

  static JsonNode document(String file) throws Exception {
    List<JsonNode> docs = documents(file);
    assertThat(docs).hasSize(1);
    return docs.get(0);
  }

  static JsonNode deployment() throws Exception {
    JsonNode d = document("deployment.yaml");
    assertThat(d.path("kind").asText()).isEqualTo("Deployment");
    return d;
  }

  static JsonNode container() throws Exception {
    JsonNode containers =
        deployment().path("spec").path("template").path("spec").path("containers");
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  /**
   * The mount path of the pod volume that is {@code kind} (configMap, secret) named {@code name}.
   */
  static String mountOf(String kind, String name) throws Exception {
    JsonNode pod = deployment().path("spec").path("template").path("spec");
    String volume = null;
    for (JsonNode v : pod.path("volumes")) {
      JsonNode source = v.path(kind);
      if (name.equals(source.path(kind.equals("secret") ? "secretName" : "name").asText())) {
        volume = v.path("name").asText();
      }
    }
    assertThat(volume).as("a %s volume of %s", kind, name).isNotNull();
    for (JsonNode m : container().path("volumeMounts")) {
      if (m.path("name").asText().equals(volume)) {
        return m.path("mountPath").asText();
      }
    }
    throw new AssertionError("volume " + volume + " is not mounted");
  }

  /** The ConfigMap's config.yaml, its in-pod paths mapped onto this checkout. */
  Path localConfig(boolean withTls) throws Exception {
    JsonNode cm = document("configmap.yaml");
    String text = cm.path("data").path("config.yaml").asText();
    String modules = mountOf("configMap", "k8s-wasm-modules");
    text = text.replace(modules + "/", Fixture.examples().resolve("modules") + "/");
    if (!withTls) {
      text = text.replaceAll("(?m)^tls(Cert|Key)File:.*$", "");
    }
    return Fixture.write(dir.resolve("config.yaml"), text);
  }

  @Test
  void theContainerRunsServeWithTheConfigMapsFile() throws Exception {
    List<String> args = new ArrayList<>();
    container().path("args").forEach(a -> args.add(a.asText()));
    // the arguments are valid for the serve command
    CommandLine.ParseResult parsed = K8sWasm.commandLine().parseArgs(args.toArray(String[]::new));
    CommandLine.ParseResult serve = parsed.subcommand();
    assertThat(serve.commandSpec().name()).isEqualTo("serve");
    String config = serve.matchedOptionValue("--config", (Path) null).toString();
    String mount = mountOf("configMap", "k8s-wasm-config");
    assertThat(config).startsWith(mount + "/");
    JsonNode cm = document("configmap.yaml");
    assertThat(cm.path("metadata").path("namespace").asText()).isEqualTo("k8s-wasm");
    assertThat(cm.path("data").has(config.substring(mount.length() + 1))).isTrue();
    // the Dockerfile's default command is serve alone (configured by KUBEWARDEN_* variables when
    // Kubewarden's controller runs the image): this Deployment names its configuration
    assertThat(dockerfile()).contains("CMD [\"serve\"]");
  }

  @Test
  void theKubewardenPolicyServerRunsThisImage() throws Exception {
    JsonNode ps = document("kubewarden-policyserver.yaml");
    assertThat(ps.path("apiVersion").asText()).isEqualTo("policies.kubewarden.io/v1");
    assertThat(ps.path("kind").asText()).isEqualTo("PolicyServer");
    assertThat(ps.path("spec").path("image").asText())
        .isEqualTo(container().path("image").asText());
    // the controller passes no arguments: the image's default command must be serve alone
    assertThat(ps.path("spec").has("args")).isFalse();
    assertThat(dockerfile()).contains("CMD [\"serve\"]");
  }

  @Test
  void portsProbesAndFilesAgreeWithTheServerConfiguration() throws Exception {
    JsonNode cm = document("configmap.yaml");
    String text = cm.path("data").path("config.yaml").asText();
    JsonNode raw = Json.yamlReader().readTree(text);
    ServeSettings settings = ServeSettings.read(localConfig(true), ServeSettings.Overrides.none());
    // every module exists (the modules ConfigMap is made of these files) and the sections load
    ServerConfig config = ServerConfig.read(localConfig(false));
    List<ModuleConfig> modules = new ArrayList<>();
    config.authentication().ifPresent(c -> modules.addAll(c.modules()));
    config.authorization().ifPresent(c -> modules.addAll(c.modules()));
    config.admission().ifPresent(c -> modules.addAll(c.modules()));
    assertThat(modules)
        .isNotEmpty()
        .allSatisfy(m -> assertThat(m.module().localPath().orElseThrow()).isRegularFile());

    Map<String, Integer> ports = new java.util.HashMap<>();
    container()
        .path("ports")
        .forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
    assertThat(ports.get("https")).isEqualTo(settings.port());
    assertThat(ports.get("metrics")).isEqualTo(settings.metricsPort().orElseThrow());

    JsonNode c = container();
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      JsonNode get = c.path(probe).path("httpGet");
      assertThat(get.path("port").asText()).as(probe).isEqualTo("metrics");
      assertThat(get.path("scheme").asText("HTTP")).as(probe).isEqualTo("HTTP");
    }
    assertThat(c.path("readinessProbe").path("httpGet").path("path").asText())
        .isEqualTo(WebhookServer.READYZ);
    assertThat(c.path("livenessProbe").path("httpGet").path("path").asText())
        .isEqualTo(WebhookServer.HEALTHZ);
    assertThat(c.path("startupProbe").path("httpGet").path("path").asText())
        .isEqualTo(WebhookServer.HEALTHZ);

    String tls = mountOf("secret", "k8s-wasm-tls");
    assertThat(raw.path("tlsCertFile").asText()).isEqualTo(tls + "/tls.crt");
    assertThat(raw.path("tlsKeyFile").asText()).isEqualTo(tls + "/tls.key");
    // mutual TLS: only kube-apiserver may call the webhooks (issue 19)
    String clientCa = mountOf("configMap", "k8s-wasm-client-ca");
    assertThat(raw.path("clientCAFile").asText()).isEqualTo(clientCa + "/ca.crt");
    assertThat(settings.clientCas()).hasSize(1);

    // SIGTERM comes after preStop; the pod must outlive preStop plus the server's grace period
    JsonNode pod = deployment().path("spec").path("template").path("spec");
    List<String> preStop = new ArrayList<>();
    c.path("lifecycle")
        .path("preStop")
        .path("exec")
        .path("command")
        .forEach(a -> preStop.add(a.asText()));
    assertThat(preStop).hasSize(2).first().isEqualTo("sleep");
    Duration grace = Quantities.parseDuration(raw.path("gracePeriod").asText());
    assertThat(pod.path("terminationGracePeriodSeconds").asLong())
        .isGreaterThan(Long.parseLong(preStop.get(1)) + grace.toSeconds());
  }

  @Test
  void thePodRunsHardenedAndReplicated() throws Exception {
    JsonNode d = deployment();
    assertThat(d.path("spec").path("replicas").asInt()).isGreaterThanOrEqualTo(2);
    JsonNode pod = d.path("spec").path("template").path("spec");
    assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    // the token of rbac.yaml's service account: serve reads the cluster with it
    assertThat(pod.path("serviceAccountName").asText()).isEqualTo("k8s-wasm");
    assertThat(pod.path("automountServiceAccountToken").asBoolean(false)).isTrue();
    JsonNode sc = container().path("securityContext");
    assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
    assertThat(sc.path("capabilities").path("drop").get(0).asText()).isEqualTo("ALL");
    // the only writable place, as the root file system is read-only
    assertThat(container().path("volumeMounts").findValuesAsText("mountPath")).contains("/tmp");
    JsonNode resources = container().path("resources");
    assertThat(resources.path("requests").has("cpu")).isTrue();
    assertThat(resources.path("requests").has("memory")).isTrue();
    assertThat(resources.path("limits").has("memory")).isTrue();
    // the image's user is the pod's
    long uid = pod.path("securityContext").path("runAsUser").asLong();
    assertThat(dockerfile()).contains("USER " + uid + ":");
  }

  @Test
  void theServiceAndTheDisruptionBudgetSelectThePods() throws Exception {
    JsonNode labels = deployment().path("spec").path("template").path("metadata").path("labels");
    JsonNode service = document("service.yaml");
    service
        .path("spec")
        .path("selector")
        .properties()
        .forEach(
            e -> assertThat(labels.path(e.getKey()).asText()).isEqualTo(e.getValue().asText()));
    List<String> portNames = container().path("ports").findValuesAsText("name");
    service
        .path("spec")
        .path("ports")
        .forEach(p -> assertThat(portNames).contains(p.path("targetPort").asText()));
    JsonNode pdb = document("pdb.yaml");
    pdb.path("spec")
        .path("selector")
        .path("matchLabels")
        .properties()
        .forEach(
            e -> assertThat(labels.path(e.getKey()).asText()).isEqualTo(e.getValue().asText()));
    assertThat(pdb.path("spec").path("maxUnavailable").asInt())
        .isLessThan(deployment().path("spec").path("replicas").asInt());
    for (String f : List.of("configmap.yaml", "deployment.yaml", "service.yaml", "pdb.yaml")) {
      assertThat(document(f).path("metadata").path("namespace").asText())
          .as(f)
          .isEqualTo(document("namespace.yaml").path("metadata").path("name").asText());
    }
  }

  @Test
  void theWebhookConfigurationsAreWhatPrintKubeConfigWrites() throws Exception {
    JsonNode service = document("service.yaml");
    int port = 0;
    for (JsonNode p : service.path("spec").path("ports")) {
      if (p.path("targetPort").asText().equals("https")) {
        port = p.path("port").asInt();
      }
    }
    String target =
        service.path("metadata").path("namespace").asText()
            + "/"
            + service.path("metadata").path("name").asText()
            + ":"
            + port;
    Path out = dir.resolve("out");
    ServeCommandTest.Result r =
        ServeCommandTest.run(
            "serve",
            "-c",
            localConfig(false).toString(),
            "--print-kube-config",
            out.toString(),
            "--service",
            target);
    assertThat(r.exitCode()).as(r.err()).isZero();
    List<JsonNode> committed = documents("webhooks.yaml");
    assertThat(committed).hasSize(2);
    for (JsonNode doc : committed) {
      String file =
          doc.path("kind").asText().startsWith("Mutating")
              ? KubeConfigs.MUTATING
              : KubeConfigs.VALIDATING;
      JsonNode generated = Json.yamlReader().readTree(Files.readString(out.resolve(file)));
      ObjectNode expected = (ObjectNode) generated.deepCopy();
      expected
          .path("webhooks")
          .forEach(w -> ((ObjectNode) w.path("clientConfig")).remove("caBundle"));
      ObjectNode actual = (ObjectNode) doc.deepCopy();
      ((ObjectNode) actual.path("metadata")).remove("annotations");
      assertThat(actual).as(file).isEqualTo(expected);
      for (JsonNode w : doc.path("webhooks")) {
        String path = w.path("clientConfig").path("service").path("path").asText();
        assertThat(Route.of(path)).as(path).isNotNull();
      }
    }
  }

  @Test
  void theDockerfileRunsTheShadedJarOnAStockJre() throws Exception {
    String docker = dockerfile();
    assertThat(docker).containsPattern("(?m)^FROM eclipse-temurin:17-jre\\s*$");
    // the jar the cli module's shade plugin writes
    assertThat(Files.readString(Fixture.root().resolve("cli/pom.xml")))
        .contains("<outputFile>${project.build.directory}/k8s-wasm.jar</outputFile>");
    assertThat(docker).contains("COPY cli/target/k8s-wasm.jar /opt/k8s-wasm/k8s-wasm.jar");
    assertThat(docker).contains("\"-jar\", \"/opt/k8s-wasm/k8s-wasm.jar\"");
    for (JsonNode p : container().path("ports")) {
      assertThat(docker).containsPattern("(?m)^EXPOSE .*\\b" + p.path("containerPort").asInt());
    }
    // every file it copies exists (the build needs no network beyond Maven)
    for (String line : docker.replace("\\\n", " ").split("\n")) {
      if (line.startsWith("COPY ")) {
        String[] parts = line.substring(5).trim().split("\\s+");
        for (int i = 0; i < parts.length - 1; i++) {
          if (!parts[i].startsWith("cli/target/")) {
            assertThat(Fixture.root().resolve(parts[i])).as(parts[i]).exists();
          }
        }
      }
    }
  }

  @Test
  void theServiceAccountMayOnlyReadAndAskSubjectAccessReviews() throws Exception {
    List<JsonNode> rbac = documents("rbac.yaml");
    assertThat(rbac)
        .extracting(d -> d.path("kind").asText())
        .containsExactly("ServiceAccount", "ClusterRole", "ClusterRoleBinding");
    String namespace = document("namespace.yaml").path("metadata").path("name").asText();
    assertThat(rbac.get(0).path("metadata").path("namespace").asText()).isEqualTo(namespace);
    for (JsonNode rule : rbac.get(1).path("rules")) {
      List<String> verbs = new ArrayList<>();
      rule.path("verbs").forEach(v -> verbs.add(v.asText()));
      if (rule.path("resources").get(0).asText().equals("subjectaccessreviews")) {
        assertThat(verbs).containsExactly("create");
      } else {
        assertThat(verbs).containsExactly("get", "list", "watch");
      }
    }
    JsonNode subject = rbac.get(2).path("subjects").get(0);
    assertThat(subject.path("name").asText()).isEqualTo("k8s-wasm");
    assertThat(subject.path("namespace").asText()).isEqualTo(namespace);
    assertThat(rbac.get(2).path("roleRef").path("name").asText())
        .isEqualTo(rbac.get(1).path("metadata").path("name").asText());
  }

  @Test
  void theKustomizationListsTheManifests() throws Exception {
    JsonNode k = document("kustomization.yaml");
    List<String> listed = new ArrayList<>();
    k.path("resources").forEach(r -> listed.add(r.asText()));
    try (Stream<Path> files = Files.list(DEPLOY)) {
      List<String> yaml =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".yaml"))
              // optional ones: with cert-manager, with Kubewarden's controller
              .filter(
                  n ->
                      !n.equals("kustomization.yaml")
                          && !n.equals("certificate.yaml")
                          && !n.equals("kubewarden-policyserver.yaml"))
              .toList();
      assertThat(listed).containsExactlyInAnyOrderElementsOf(yaml);
    }
  }

  static String dockerfile() throws Exception {
    return Files.readString(DEPLOY.resolve("Dockerfile"));
  }
}
