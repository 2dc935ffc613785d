package dev.k8swasm.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.config.ConfigException;
import dev.k8swasm.config.ModuleConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading policy-server's policies.yml, alone and combined with our configuration. */
class PoliciesFileTest {
  static Path example() throws Exception {
    return Path.of(
        PoliciesFileTest.class.getResource("/policyserver/policies.yml.example").toURI());
  }

  @Test
  void upstreamExampleShapeIsRead() throws Exception {
    ServerConfig c = ServerConfig.read(example());
    PoliciesFile p = c.policies().orElseThrow();
    assertThat(p.policies())
        .extracting(ModuleConfig::name)
        .containsExactly("psp-apparmor", "psp-capabilities");
    ModuleConfig caps = p.policies().get(1);
    assertThat(caps.module().text())
        .isEqualTo("registry://ghcr.io/kubewarden/policies/psp-capabilities:v0.1.7");
    assertThat(caps.mutating()).hasValue(true);
    assertThat(p.policies().get(0).mutating()).hasValue(false);
    assertThat(caps.type()).isEqualTo(dev.k8swasm.module.ModuleType.KUBEWARDEN);
    assertThat(caps.options().get("policyMode").asText()).isEqualTo("protect");
    assertThat(caps.settings().orElseThrow().path("required_drop_capabilities").get(0).asText())
        .isEqualTo("KILL");
    assertThat(p.messages()).containsEntry("psp-capabilities", "A custom rejection message");
    PoliciesFile.Group g = p.groups().get(0);
    assertThat(g.id()).isEqualTo("pod-image-signatures");
    assertThat(g.expression())
        .isEqualTo("sigstore_pgp() || (sigstore_gh_action() && reject_latest_tag())");
    assertThat(g.message()).isEqualTo("The group policy is rejected.");
    // a module without a scheme that is not a local file is an OCI reference, as upstream
    assertThat(g.members())
        .extracting(m -> m.module().text())
        .first()
        .isEqualTo("registry://ghcr.io/kubewarden/policies/verify-image-signatures:v0.2.8");
    assertThat(g.members())
        .extracting(ModuleConfig::name)
        .containsExactly(
            "pod-image-signatures/sigstore_pgp",
            "pod-image-signatures/sigstore_gh_action",
            "pod-image-signatures/reject_latest_tag");
    // the policies are admission modules of the configuration
    assertThat(c.admission().orElseThrow().modules())
        .extracting(ModuleConfig::name)
        .containsExactly("psp-apparmor", "psp-capabilities");
  }

  @Test
  void aMonitoredPolicyRunsInProtectModeAndTheServerKnowsItsMode(@TempDir Path dir)
      throws Exception {
    Path file =
        Fixture.write(
            dir.resolve("policies.yml"),
            "watched:\n  module: registry://ghcr.io/x/y:v1\n  policyMode: monitor\n"
                + "guarded:\n  module: registry://ghcr.io/x/y:v1\n");
    PoliciesFile p = ServerConfig.read(file).policies().orElseThrow();
    // the server applies monitor mode itself, so that /audit and the metrics see the answer
    assertThat(p.policies())
        .allSatisfy(m -> assertThat(m.options().get("policyMode").asText()).isEqualTo("protect"));
    assertThat(p.modes())
        .containsEntry("watched", PolicyMode.MONITOR)
        .containsEntry("guarded", PolicyMode.PROTECT);
  }

  @Test
  void whatKubewardensControllerWritesIsRead(@TempDir Path dir) throws Exception {
    Path file =
        Fixture.write(
            dir.resolve("policies.yml"),
            Fixture.controllerWrittenPolicies(Fixture.module("kubewarden/policy_wapc_init.wasm")));
    PoliciesFile p = ServerConfig.read(file).policies().orElseThrow();
    assertThat(p.policies())
        .extracting(ModuleConfig::name)
        .containsExactly("clusterwide-no-forbidden", "namespaced-team-a-watch");
    assertThat(p.modes()).containsEntry("namespaced-team-a-watch", PolicyMode.MONITOR);
    assertThat(p.messages()).containsEntry("namespaced-team-a-watch", "not here");
    assertThat(p.policies().get(1).limits().timeout()).isEqualTo(java.time.Duration.ofSeconds(5));
    assertThat(p.policies().get(1).options().get("allowedHostCapabilities").toString())
        .isEqualTo("[\"oci/*\"]");
    assertThat(p.groups()).singleElement().satisfies(g -> assertThat(g.message()).isEmpty());
  }

  @Test
  void grantsArePolicyServers() throws Exception {
    PoliciesFile p = ServerConfig.read(example()).policies().orElseThrow();
    // neither hostCapabilities nor contextAwareResources: every capability, no Kubernetes resource
    ModuleConfig apparmor = p.policies().get(0);
    assertThat(apparmor.options().get("allowedHostCapabilities").toString()).isEqualTo("[\"*\"]");
    assertThat(apparmor.options().get("contextAwareResources").toString()).isEqualTo("[]");
    for (ModuleConfig member : p.groups().get(0).members()) {
      assertThat(member.options().get("allowedHostCapabilities").toString()).isEqualTo("[\"*\"]");
    }
    PoliciesFile narrowed =
        PoliciesFile.parse(
            dev.k8swasm.json.Json.readTree(
                ("{\"p\":{\"module\":\"registry://ghcr.io/x/p:v1\",\"hostCapabilities\":"
                        + "[\"oci/*\",\"kubernetes/can_i\"],\"contextAwareResources\":"
                        + "[{\"apiVersion\":\"v1\",\"kind\":\"Namespace\"}]}}")
                    .getBytes()),
            Path.of("policies.yml"));
    ModuleConfig m = narrowed.policies().get(0);
    assertThat(m.options().get("allowedHostCapabilities").toString())
        .isEqualTo("[\"oci/*\",\"kubernetes/can_i\"]");
    assertThat(m.options().get("contextAwareResources").toString())
        .isEqualTo("[{\"apiVersion\":\"v1\",\"kind\":\"Namespace\"}]");
  }

  @Test
  void everyProblemIsListedWithFilePolicyAndField(@TempDir Path dir) {
    Path file =
        Fixture.write(
            dir.resolve("policies.yml"),
            "good:\n"
                + "  module: registry://example.org/p:v1\n"
                + "bad-mode:\n"
                + "  module: registry://example.org/p:v1\n"
                + "  policyMode: enforce\n"
                + "bad-mutate:\n"
                + "  module: registry://example.org/p:v1\n"
                + "  allowedToMutate: yes please\n"
                + "  timeoutEvalSeconds: -1\n"
                + "typo:\n"
                + "  module: registry://example.org/p:v1\n"
                + "  setings: {}\n"
                + "group:\n"
                + "  expression: \"a() && b()\"\n"
                + "  policies:\n"
                + "    a:\n"
                + "      module: registry://example.org/p:v1\n"
                + "      allowedToMutate: true\n");
    assertThatThrownBy(() -> ServerConfig.read(file))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              List<String> p = e.problems();
              String f = file.toString();
              assertThat(p)
                  .contains(
                      f
                          + ": policy 'bad-mode': field 'policyMode': 'enforce' (use protect or"
                          + " monitor)",
                      f + ": policy 'bad-mutate': field 'allowedToMutate': expected true or false",
                      f
                          + ": policy 'bad-mutate': field 'timeoutEvalSeconds': expected a whole"
                          + " number of seconds > 0",
                      f + ": policy 'group': field 'message' is missing");
              assertThat(p)
                  .anySatisfy(
                      s -> assertThat(s).startsWith(f + ": policy 'typo': unknown field 'setings'"))
                  .anySatisfy(
                      s ->
                          assertThat(s)
                              .startsWith(
                                  f
                                      + ": policy 'group': member 'a': unknown field"
                                      + " 'allowedToMutate'"));
              assertThat(p).hasSize(6);
            });
  }

  @Test
  void idsWithSlashesAreRefused(@TempDir Path dir) {
    Path file =
        Fixture.write(dir.resolve("policies.yml"), "a/b:\n  module: registry://example.org/p:v1\n");
    assertThatThrownBy(() -> ServerConfig.read(file))
        .hasMessageContaining("policy 'a/b': an id must be non-empty, without '/'");
  }

  @Test
  void combinedWithOurConfigurationAndClashesAreReported(@TempDir Path dir) {
    Path module = Fixture.module("kubewarden/policy_wapc_init.wasm");
    Fixture.write(
        dir.resolve("policies.yml"),
        "magic:\n  module: " + module + "\nkw:\n  module: " + module + "\n");
    Path config =
        Fixture.write(
            dir.resolve("server.yaml"),
            "admission:\n"
                + "  modules:\n"
                + Fixture.moduleEntry("own", Fixture.module("magic_validator.wasm"))
                + "policies: policies.yml\n");
    ServerConfig c = ServerConfig.read(config);
    assertThat(c.admission().orElseThrow().modules())
        .extracting(ModuleConfig::name)
        .containsExactly("own", "magic", "kw");
    assertThat(c.files()).contains(dir.resolve("policies.yml"), module);

    Fixture.write(dir.resolve("policies.yml"), "own:\n  module: " + module + "\n");
    assertThatThrownBy(() -> ServerConfig.read(config))
        .hasMessageContaining("policy 'own': the id 'own' is also an admission module's name");
  }
}
