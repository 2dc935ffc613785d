package dev.k8swasm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code serve} takes policy-server's flag spellings and its {@code KUBEWARDEN_*} variables. */
class PolicyServerEnvironmentTest {

  static ServeCommand parse(Map<String, String> env, String... args) {
    ServeCommand serve = new ServeCommand();
    CommandLine cl = new CommandLine(serve);
    cl.setDefaultValueProvider(new PolicyServerEnvironment(env));
    cl.parseArgs(args);
    serve.applyPolicyServerSpellings();
    return serve;
  }

  @Test
  void theVariablesTheControllerSetsConfigureServe() {
    Map<String, String> env = new HashMap<>();
    env.put("KUBEWARDEN_CERT_FILE", "/pki/policy-server-cert");
    env.put("KUBEWARDEN_KEY_FILE", "/pki/policy-server-key");
    env.put("KUBEWARDEN_PORT", "8443");
    env.put("KUBEWARDEN_READINESS_PROBE_PORT", "8081");
    env.put("KUBEWARDEN_POLICIES_DOWNLOAD_DIR", "/tmp");
    env.put("KUBEWARDEN_POLICIES", "/config/policies.yml");
    env.put("KUBEWARDEN_SIGSTORE_CACHE_DIR", "/tmp/sigstore-data");
    env.put("KUBEWARDEN_ALWAYS_ACCEPT_ADMISSION_REVIEWS_ON_NAMESPACE", "kubewarden");
    env.put("KUBEWARDEN_ENABLE_METRICS", "true");
    env.put("KUBEWARDEN_CLIENT_CA_FILE", "/ca/ca.crt,/client-ca/client-ca.crt");
    env.put("KUBEWARDEN_DOCKER_CONFIG_JSON_PATH", "/home/kubewarden/.docker");
    env.put("KUBEWARDEN_SOURCES_PATH", "/sources/sources.yml");
    env.put("KUBEWARDEN_VERIFICATION_CONFIG_PATH", "/verification/verification.yml");
    env.put("KUBEWARDEN_WORKERS", "3");
    env.put("KUBEWARDEN_BIND_ADDRESS", "0.0.0.0");
    env.put("KUBEWARDEN_POLICY_TIMEOUT", "5");
    env.put("KUBEWARDEN_CONTINUE_ON_ERRORS", "1");
    ServeCommand s = parse(env);
    assertThat(s.tlsCert).isEqualTo(Path.of("/pki/policy-server-cert"));
    assertThat(s.tlsKey).isEqualTo(Path.of("/pki/policy-server-key"));
    assertThat(s.port).isEqualTo(8443);
    assertThat(s.metricsPort).isEqualTo(8081);
    assertThat(s.policies).isEqualTo(Path.of("/config/policies.yml"));
    assertThat(s.policyServer.policiesDownloadDir).isEqualTo(Path.of("/tmp"));
    assertThat(s.policyServer.sigstoreCacheDir).isEqualTo(Path.of("/tmp/sigstore-data"));
    assertThat(s.policyServer.alwaysAcceptNamespace).isEqualTo("kubewarden");
    assertThat(s.policyServer.enableMetrics).isTrue();
    assertThat(s.clientCas)
        .containsExactly(Path.of("/ca/ca.crt"), Path.of("/client-ca/client-ca.crt"));
    assertThat(s.registry.dockerConfig).isEqualTo(Path.of("/home/kubewarden/.docker"));
    assertThat(s.registry.sources).isEqualTo(Path.of("/sources/sources.yml"));
    assertThat(s.registry.verificationConfig).isEqualTo(Path.of("/verification/verification.yml"));
    assertThat(s.workers).isEqualTo(3);
    assertThat(s.address).isEqualTo("0.0.0.0");
    assertThat(timeoutOf(s, null)).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.policyServer.continueOnErrors).isTrue();
  }

  /** The deadline serve gives a module whose own timeout is {@code own} (null: the default). */
  static Duration timeoutOf(ServeCommand s, Duration own) {
    ModuleSpec.Builder b = ModuleSpec.builder("m").path(Path.of("m.wasm"));
    if (own != null) {
      b.limits(Limits.defaults().toBuilder().timeout(own).build());
    }
    return s.customize(b).build().limits().timeout();
  }

  @Test
  void policyTimeoutsApplyAsPolicyServerAppliesThem() {
    // the default, 2 s as policy-server's
    assertThat(timeoutOf(parse(Map.of()), null)).isEqualTo(Duration.ofSeconds(2));
    // --policy-timeout: policies without a timeoutEvalSeconds of their own
    ServeCommand global = parse(Map.of("KUBEWARDEN_POLICY_TIMEOUT", "5"));
    assertThat(timeoutOf(global, null)).isEqualTo(Duration.ofSeconds(5));
    assertThat(timeoutOf(global, Duration.ofSeconds(9))).isEqualTo(Duration.ofSeconds(9));
    // --disable-timeout-protection: 30 s, the longest kube-apiserver waits for a webhook
    ServeCommand off = parse(Map.of("KUBEWARDEN_DISABLE_TIMEOUT_PROTECTION", "true"));
    assertThat(timeoutOf(off, null)).isEqualTo(Duration.ofSeconds(30));
    // our --timeout: every module, whatever it says
    ServeCommand ours = parse(Map.of("KUBEWARDEN_POLICY_TIMEOUT", "5"), "--timeout", "1s");
    assertThat(timeoutOf(ours, Duration.ofSeconds(9))).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void policyServersFlagSpellingsAreAliases() {
    ServeCommand s =
        parse(
            Map.of(),
            "--policies",
            "policies.yml",
            "--addr",
            "10.0.0.1",
            "--cert-file",
            "c.pem",
            "--key-file",
            "k.pem",
            "--client-ca-file",
            "a.pem,b.pem",
            "--readiness-probe-port",
            "8081",
            "--policy-timeout",
            "3",
            "--verification-path",
            "v.yml",
            "--always-accept-admission-reviews-on-namespace",
            "kubewarden",
            "--ignore-kubernetes-connection-failure",
            "--log-no-color");
    assertThat(s.address).isEqualTo("10.0.0.1");
    assertThat(s.tlsCert).isEqualTo(Path.of("c.pem"));
    assertThat(s.tlsKey).isEqualTo(Path.of("k.pem"));
    assertThat(s.clientCas).containsExactly(Path.of("a.pem"), Path.of("b.pem"));
    assertThat(s.metricsPort).isEqualTo(8081);
    assertThat(timeoutOf(s, null)).isEqualTo(Duration.ofSeconds(3));
    assertThat(s.registry.verificationConfig).isEqualTo(Path.of("v.yml"));
    assertThat(s.policyServer.alwaysAcceptNamespace).isEqualTo("kubewarden");
    assertThat(s.policyServer.ignoreKubernetesConnectionFailure).isTrue();
  }

  @Test
  void theCommandLineWinsOverTheEnvironment() {
    ServeCommand s = parse(Map.of("KUBEWARDEN_PORT", "3000"), "--port", "9000");
    assertThat(s.port).isEqualTo(9000);
    assertThat(parse(Map.of("KUBEWARDEN_PORT", "3000")).port).isEqualTo(3000);
    assertThat(parse(Map.of()).port).isNull();
    // our spelling wins over policy-server's and its variable
    assertThat(parse(Map.of("KUBEWARDEN_CERT_FILE", "env.pem"), "--tls-cert", "ours.pem").tlsCert)
        .isEqualTo(Path.of("ours.pem"));
    assertThat(parse(Map.of("KUBEWARDEN_CERT_FILE", "env.pem"), "--cert-file", "ps.pem").tlsCert)
        .isEqualTo(Path.of("ps.pem"));
    assertThat(timeoutOf(parse(Map.of(), "--timeout", "1s", "--policy-timeout", "7"), null))
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void switchesTakePolicyServersSpellingsOfTrueAndFalse() {
    for (String yes : List.of("true", "TRUE", "1", "yes", "on")) {
      assertThat(parse(Map.of("KUBEWARDEN_ENABLE_METRICS", yes)).policyServer.enableMetrics)
          .as(yes)
          .isTrue();
    }
    for (String no : List.of("false", "0", "no", "off", "")) {
      assertThat(parse(Map.of("KUBEWARDEN_ENABLE_METRICS", no)).policyServer.enableMetrics)
          .as(no)
          .isFalse();
    }
    assertThatThrownBy(() -> parse(Map.of("KUBEWARDEN_DISABLE_TIMEOUT_PROTECTION", "maybe")))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage(
            "Invalid value of KUBEWARDEN_DISABLE_TIMEOUT_PROTECTION (for"
                + " --disable-timeout-protection): 'maybe'; expected true or false");
    assertThatThrownBy(() -> parse(Map.of("KUBEWARDEN_WORKERS", "four")))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("KUBEWARDEN_WORKERS")
        .hasMessageContaining("expected a whole number");
  }

  @Test
  void everyVariableNamesAnOptionOfServe() {
    CommandLine cl = new CommandLine(new ServeCommand());
    for (Map.Entry<String, String> e : PolicyServerEnvironment.VARIABLES.entrySet()) {
      CommandLine.Model.OptionSpec option = cl.getCommandSpec().findOption(e.getKey());
      assertThat(option).as(e.getKey()).isNotNull();
      assertThat(PolicyServerEnvironment.variable(option)).isEqualTo(e.getValue());
    }
  }

  @Test
  void enableMetricsTurnsOtlpExportOn() {
    assertThat(Telemetry.wanted(Map.of(), false)).isFalse();
    boolean enabled = parse(Map.of("KUBEWARDEN_ENABLE_METRICS", "true")).policyServer.enableMetrics;
    assertThat(enabled).isTrue();
    assertThat(Telemetry.wanted(Map.of(), enabled)).isTrue();
    assertThat(Telemetry.wanted(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"), false))
        .isTrue();
  }

  @Test
  void daemonAndPprofAreRefusedWithWhatToDoInstead() {
    Cli.Result daemon = Cli.run("serve", "--policies", "policies.yml", "--daemon");
    assertThat(daemon.exitCode()).isEqualTo(2);
    assertThat(daemon.err()).contains("k8s-wasm does not detach").contains("systemd");
    Cli.Result pprof = Cli.run("serve", "--policies", "policies.yml", "--enable-pprof");
    assertThat(pprof.exitCode()).isEqualTo(2);
    assertThat(pprof.err()).contains("JDK Flight Recorder");
  }

  @Test
  void aDockerConfigDirectoryMeansItsConfigJson(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    java.nio.file.Files.writeString(dir.resolve("config.json"), "{\"auths\":{}}");
    ServeCommand s =
        parse(
            Map.of(
                "KUBEWARDEN_DOCKER_CONFIG_JSON_PATH", dir.toString(),
                "KUBEWARDEN_POLICIES_DOWNLOAD_DIR", dir.resolve("store").toString()));
    s.registry.storeDir(s.policyServer.policiesDownloadDir);
    assertThat(s.registry.oci().dockerConfig()).hasValue(dir.resolve("config.json"));
    assertThat(s.registry.oci().storeDir()).isEqualTo(dir.resolve("store"));
  }
}
