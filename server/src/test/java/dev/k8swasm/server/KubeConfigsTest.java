package dev.k8swasm.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
}
