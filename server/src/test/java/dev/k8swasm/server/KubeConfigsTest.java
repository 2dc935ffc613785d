package dev.k8swasm.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names and paths written into webhook configurations (moved from the CLI's ServeCommandTest). */
class KubeConfigsTest {

  @Test
  void webhookNamesAndPathsAreSafe() {
    assertThat(KubeConfigs.webhookName("magic_validator"))
        .isEqualTo("magic-validator" + KubeConfigs.WEBHOOK_SUFFIX);
    assertThat(KubeConfigs.webhookName("Policy One"))
        .isEqualTo("policy-one" + KubeConfigs.WEBHOOK_SUFFIX);
    assertThat(KubeConfigs.pathSegment("a b/ü")).isEqualTo("a%20b%2F%C3%BC");
    assertThat(KubeConfigs.webhookTimeout(java.time.Duration.ofMillis(2500)).toSeconds())
        .isEqualTo(4);
    assertThat(KubeConfigs.webhookTimeout(java.time.Duration.ofSeconds(60)).toSeconds())
        .isEqualTo(30);
    assertThat(KubeConfigs.parseService("ns/name"))
        .isEqualTo(new KubeConfigs.Target.Service("ns", "name", 443));
    assertThat(KubeConfigs.parseService("ns/name:8443").port()).isEqualTo(8443);
  }

  @Test
  void aPolicyGroupIsAValidatingWebhookOnItsPolicyServerPathWithItsMembersRules(@TempDir Path dir)
      throws Exception {
    Path wapc = Fixture.module("kubewarden/policy_wapc_init.wasm");
    Path policies =
        Fixture.write(
            dir.resolve("policies.yml"),
            "only-group:\n"
                + "  expression: \"pod_privileged() && true\"\n"
                + "  message: rejected\n"
                + "  policies:\n"
                + "    pod_privileged:\n"
                + "      module: "
                + wapc
                + "\n"
                + "      timeoutEvalSeconds: 4\n");
    var written =
        KubeConfigs.write(
            policies,
            new KubeConfigs.Target.Service("kubewarden", "policy-server", 443),
            "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
            false,
            b -> b,
            dir.resolve("out"));
    Path validating =
        written.stream()
            .filter(p -> p.getFileName().toString().contains("validating"))
            .findFirst()
            .orElseThrow();
    String yaml = Files.readString(validating);
    assertThat(yaml)
        .contains("path: /validate/only-group\n")
        .contains("- name: only-group" + KubeConfigs.WEBHOOK_SUFFIX + "\n")
        .contains("pods")
        .contains("timeoutSeconds: 5");
    assertThat(written.stream().map(p -> p.getFileName().toString()))
        .noneMatch(n -> n.contains("mutating"));
  }
}
