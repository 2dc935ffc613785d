package dev.k8swasm.cli;

import static dev.k8swasm.server.Fixture.exampleConfig;
import static dev.k8swasm.server.Fixture.module;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import dev.k8swasm.server.Fixture;
import dev.k8swasm.server.KubeConfigs;
import dev.k8swasm.server.WebhookServer;
import dev.k8swasm.server.tls.Pem;
import dev.k8swasm.server.tls.SelfSigned;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code k8s-wasm serve} on the command line: usage errors and {@code --print-kube-config}. */
public class ServeCommandTest {
  @TempDir Path dir;

  public record Result(int exitCode, String out, String err) {}

  public static Result run(String... args) {
    CommandLine cmd = K8sWasm.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  Path exampleServerConfig() {
    return Fixture.write(
        dir.resolve("server.yaml"),
        "authentication:\n  path: "
            + exampleConfig("authentication.yaml")
            + "\n"
            + "authorization:\n  path: "
            + exampleConfig("authorization.yaml")
            + "\n"
            + "admission:\n  path: "
            + exampleConfig("admission.yaml")
            + "\n");
  }

  @Test
  void usageErrorsExitWith2() {
    assertThat(run("serve").exitCode()).isEqualTo(2);
    assertThat(run("serve").err()).contains("Give the configuration: -c FILE, or --policies FILE");
    Result both = run("serve", "-c", "x.yaml", "--policies", "p.yml");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("Give either -c or --policies; to serve both, add 'policies:");
    Result halfTls = run("serve", "-c", "x.yaml", "--tls-cert", "a.crt");
    assertThat(halfTls.exitCode()).isEqualTo(2);
    assertThat(halfTls.err()).contains("Give both --tls-cert and --tls-key");
    assertThat(run("serve", "-c", "x.yaml", "--url", "https://x").err())
        .contains("only apply to --print-kube-config");
    assertThat(run("serve", "-c", "x.yaml", "--port", "70000").exitCode()).isEqualTo(2);
    assertThat(run("serve", "-c", "x.yaml", "--max-request-bytes", "0").exitCode()).isEqualTo(2);
    Result noCluster = run("serve", "-c", "x.yaml", "--can-i", "cluster");
    assertThat(noCluster.exitCode()).isEqualTo(2);
    assertThat(noCluster.err()).contains("--can-i cluster needs a cluster: give --kubeconfig");
    assertThat(run("serve", "--help").out())
        .contains("POST /authenticate")
        .contains("--client-ca")
        .contains("--can-i");
  }

  @Test
  void configurationProblemsExitWith1() {
    Result missing = run("serve", "-c", dir.resolve("missing.yaml").toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).startsWith("error: invalid configuration").contains("file not found");
    Path bad =
        Fixture.write(
            dir.resolve("bad.yaml"),
            "authorization:\n  modules:\n"
                + Fixture.moduleEntry("nope", dir.resolve("nope.wasm"))
                + "admission:\n  modules:\n"
                + Fixture.moduleEntry("x", module("magic_validator.wasm"), "failurePolicy: Maybe"));
    Result r = run("serve", "-c", bad.toString(), "--port", "0");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("nope.wasm").contains("unknown failurePolicy 'Maybe'");
    assertThat(r.err()).doesNotContain("\tat ");
  }

  @Test
  void aPortInUseExitsWith1() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Result r =
          run(
              "serve",
              "-c",
              exampleServerConfig().toString(),
              "--address",
              "127.0.0.1",
              "--port",
              Integer.toString(taken.getLocalPort()));
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).contains("error:").containsIgnoringCase("address already in use");
    }
  }

  @Test
  void printKubeConfigForAServiceInTheCluster() throws Exception {
    Path out = dir.resolve("out");
    Result r =
        run(
            "serve",
            "-c",
            exampleServerConfig().toString(),
            "--print-kube-config",
            out.toString(),
            "--service",
            "k8s-wasm/k8s-wasm:443");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("wrote").contains("tls.crt");
    String ca = Files.readString(out.resolve("ca.crt"));
    String caData = Base64.getEncoder().encodeToString(ca.getBytes(StandardCharsets.US_ASCII));

    JsonNode authn = yaml(out.resolve(KubeConfigs.AUTHN_KUBECONFIG));
    assertThat(authn.path("kind").asText()).isEqualTo("Config");
    JsonNode cluster = authn.path("clusters").get(0).path("cluster");
    assertThat(cluster.path("server").asText())
        .isEqualTo("https://k8s-wasm.k8s-wasm.svc/authenticate");
    assertThat(cluster.path("certificate-authority-data").asText()).isEqualTo(caData);
    assertThat(authn.path("current-context").asText()).isEqualTo("webhook");
    JsonNode authz = yaml(out.resolve(KubeConfigs.AUTHZ_KUBECONFIG));
    assertThat(authz.path("clusters").get(0).path("cluster").path("server").asText())
        .endsWith("/authorize");
    JsonNode authzConfig = yaml(out.resolve(KubeConfigs.AUTHZ_CONFIG));
    assertThat(authzConfig.path("kind").asText()).isEqualTo("AuthorizationConfiguration");
    assertThat(authzConfig.path("authorizers").get(2).path("webhook").path("timeout").asText())
        .isEqualTo("3s");

    JsonNode validating = yaml(out.resolve(KubeConfigs.VALIDATING));
    assertThat(validating.path("kind").asText()).isEqualTo("ValidatingWebhookConfiguration");
    assertThat(validating.path("apiVersion").asText()).isEqualTo("admissionregistration.k8s.io/v1");
    JsonNode v = validating.path("webhooks").get(0);
    assertThat(validating.path("webhooks")).hasSize(1);
    assertThat(v.path("name").asText()).isEqualTo("magic-validator.k8s-wasm.admission");
    assertThat(v.path("admissionReviewVersions")).hasSize(1);
    assertThat(v.path("admissionReviewVersions").get(0).asText()).isEqualTo("v1");
    assertThat(v.path("sideEffects").asText()).isEqualTo("None");
    assertThat(v.path("failurePolicy").asText()).isEqualTo("Fail");
    assertThat(v.path("timeoutSeconds").asInt()).isEqualTo(3); // module deadline 2s + 1
    JsonNode service = v.path("clientConfig").path("service");
    assertThat(service.path("namespace").asText()).isEqualTo("k8s-wasm");
    assertThat(service.path("name").asText()).isEqualTo("k8s-wasm");
    assertThat(service.path("path").asText()).isEqualTo("/validate/magic-validator");
    assertThat(service.path("port").asInt()).isEqualTo(443);
    assertThat(v.path("clientConfig").path("caBundle").asText()).isEqualTo(caData);
    assertThat(v.path("rules").get(0).path("resources").get(0).asText()).isEqualTo("configmaps");
    assertThat(v.path("rules").get(0).path("operations")).hasSize(2);

    JsonNode mutating = yaml(out.resolve(KubeConfigs.MUTATING));
    JsonNode m = mutating.path("webhooks").get(0);
    assertThat(m.path("name").asText()).isEqualTo("magic-mutator.k8s-wasm.admission");
    assertThat(m.path("clientConfig").path("service").path("path").asText())
        .isEqualTo("/mutate/magic-mutator");
    assertThat(m.path("reinvocationPolicy").asText()).isEqualTo("Never");

    // the generated certificate is valid for the service's names
    var leaf = Pem.certificates(out.resolve("tls.crt")).get(0);
    assertThat(leaf.getSubjectAlternativeNames())
        .extracting(l -> l.get(1).toString())
        .contains("k8s-wasm.k8s-wasm.svc", "k8s-wasm.k8s-wasm.svc.cluster.local");
  }

  @Test
  void printKubeConfigPointsPolicyServerPoliciesAtValidateId() throws Exception {
    Path wapc = module("kubewarden/policy_wapc_init.wasm");
    Path policies =
        Fixture.write(
            dir.resolve("policies.yml"),
            "no-forbidden:\n  module: "
                + wapc
                + "\n  settings: {forbiddenLabels: [forbidden]}\n"
                + "add-team:\n  module: "
                + wapc
                + "\n  allowedToMutate: true\n  settings: {addLabels: {team: blue}}\n");
    Path out = dir.resolve("out");
    Result r =
        run(
            "serve",
            "--policies",
            policies.toString(),
            "--print-kube-config",
            out.toString(),
            "--url",
            "https://10.0.0.5:8443");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode validating = yaml(out.resolve(KubeConfigs.VALIDATING));
    assertThat(validating.path("webhooks")).hasSize(1);
    JsonNode v = validating.path("webhooks").get(0);
    assertThat(v.path("clientConfig").path("url").asText())
        .isEqualTo("https://10.0.0.5:8443/validate/no-forbidden");
    // the rules are those of the policy's metadata (pods CREATE/UPDATE), not everything
    assertThat(v.path("rules").get(0).path("resources").get(0).asText()).isEqualTo("pods");
    JsonNode mutating = yaml(out.resolve(KubeConfigs.MUTATING));
    assertThat(mutating.path("webhooks").get(0).path("clientConfig").path("url").asText())
        .isEqualTo("https://10.0.0.5:8443/validate/add-team");
  }

  @Test
  void theFilesWrittenLetKubeApiserverReachTheServer() throws Exception {
    Path out = dir.resolve("out");
    Path config = exampleServerConfig();
    // what kube-apiserver would use; the port is picked first, then served on
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Result r =
        run(
            "serve",
            "-c",
            config.toString(),
            "--print-kube-config",
            out.toString(),
            "--url",
            "https://127.0.0.1:" + port);
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode validating = yaml(out.resolve(KubeConfigs.VALIDATING));
    assertThat(validating.path("webhooks").get(0).path("clientConfig").path("url").asText())
        .isEqualTo("https://127.0.0.1:" + port + "/validate/magic-validator");
    Fixture.Flags flags = new Fixture.Flags();
    flags.port = port;
    flags.tlsCert = out.resolve("tls.crt");
    flags.tlsKey = out.resolve("tls.key");
    try (WebhookServer server =
        WebhookServer.builder(config).overrides(flags.overrides()).build().start()) {
      assertThat(server.port()).isEqualTo(port);
      JsonNode kubeconfig = yaml(out.resolve(KubeConfigs.AUTHN_KUBECONFIG));
      JsonNode cluster = kubeconfig.path("clusters").get(0).path("cluster");
      byte[] caPem =
          Base64.getDecoder().decode(cluster.path("certificate-authority-data").asText());
      Path caFile = Files.write(dir.resolve("kube-ca.pem"), caPem);
      HttpClient apiserver = Fixture.client(Pem.certificates(caFile), null, null);
      HttpResponse<String> answer =
          apiserver.send(
              HttpRequest.newBuilder(URI.create(cluster.path("server").asText()))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          Fixture.request("tokenreview-magic.json")))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(Fixture.json(answer).path("status").path("authenticated").asBoolean()).isTrue();
    }
  }

  @Test
  void givenCertificatesAndClientCaGoIntoTheFiles() throws Exception {
    SelfSigned.Pair pair = SelfSigned.generate(Set.of("localhost"), java.time.Duration.ofDays(1));
    Path cert = Files.writeString(dir.resolve("tls.crt"), Pem.encode(pair.chain()));
    Path key =
        Files.writeString(
            dir.resolve("tls.key"), Pem.encode("PRIVATE KEY", pair.key().getEncoded()));
    Path clientCa = Files.writeString(dir.resolve("client-ca.crt"), Pem.encode(List.of(pair.ca())));
    Path out = dir.resolve("out");
    Result r =
        run(
            "serve",
            "-c",
            exampleServerConfig().toString(),
            "--print-kube-config",
            out.toString(),
            "--tls-cert",
            cert.toString(),
            "--tls-key",
            key.toString(),
            "--client-ca",
            clientCa.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(out.resolve("tls.key")).doesNotExist();
    JsonNode authn = yaml(out.resolve(KubeConfigs.AUTHN_KUBECONFIG));
    String caData =
        authn.path("clusters").get(0).path("cluster").path("certificate-authority-data").asText();
    assertThat(new String(Base64.getDecoder().decode(caData), StandardCharsets.US_ASCII))
        .isEqualTo(Pem.encode(List.of(pair.ca())));
    assertThat(authn.path("users").get(0).path("user").path("client-certificate").asText())
        .isNotEmpty();
    assertThat(Files.readString(out.resolve(KubeConfigs.README))).contains("--client-ca");
  }

  static JsonNode yaml(Path file) throws Exception {
    return Json.yamlReader().readTree(Files.readString(file));
  }
}
