package dev.k8swasm.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the cluster as kwctl and kubectl do. */
class KubeClientsTest {
  private static final String KUBECONFIG =
      """
      apiVersion: v1
      kind: Config
      current-context: dev
      clusters:
      - name: dev
        cluster: {server: "https://127.0.0.1:6443"}
      - name: prod
        cluster: {server: "https://10.0.0.1:6443"}
      users:
      - name: me
        user: {token: secret-token-never-printed}
      contexts:
      - name: dev
        context: {cluster: dev, user: me, namespace: shop}
      - name: prod
        context: {cluster: prod, user: me}
      """;

  @Test
  void anExplicitKubeconfigAndContext(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("config"), KUBECONFIG);
    Config current = KubeClients.config(file, null, Map.of(), dir);
    assertThat(current.getMasterUrl()).isEqualTo("https://127.0.0.1:6443/");
    assertThat(current.getNamespace()).isEqualTo("shop");
    Config prod = KubeClients.config(file, "prod", Map.of(), dir);
    assertThat(prod.getMasterUrl()).isEqualTo("https://10.0.0.1:6443/");
    assertThat(prod.getRequestRetryBackoffLimit()).isEqualTo(1);
    assertThatThrownBy(() -> KubeClients.config(file, "staging", Map.of(), dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("context 'staging' is not in the kubeconfig (contexts: dev, prod)")
        .hasMessageNotContaining("secret-token");
  }

  @Test
  void missingConfigurationIsAOneLineError(@TempDir Path dir) {
    assertThatThrownBy(() -> KubeClients.config(dir.resolve("nope"), null, Map.of(), dir))
        .hasMessage("kubeconfig " + dir.resolve("nope") + " does not exist");
    assertThatThrownBy(() -> KubeClients.config(null, null, Map.of(), dir))
        .hasMessage(
            "no Kubernetes configuration found: give --kubeconfig FILE, set KUBECONFIG, create"
                + " ~/.kube/config, or run in a pod with a service account");
  }
}
