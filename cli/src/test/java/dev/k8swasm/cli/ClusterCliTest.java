package dev.k8swasm.cli;

import static dev.k8swasm.cli.Cli.module;
import static dev.k8swasm.cli.Cli.run;
import static dev.k8swasm.cli.KubewardenCliTest.kwctl;
import static dev.k8swasm.cli.KubewardenCliTest.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.k8swasm.cluster.MockApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --allow-context-aware} reading a cluster through a kubeconfig, as kwctl does: the
 * stand-in API server is fabric8's mock in CRUD mode (no kube-apiserver can be installed here). The
 * policy is the example Kubewarden policy: its {@code contextResource} setting makes it call {@code
 * kubernetes/get_resource} (a warning {@code context:NAME}, or a rejection with the host error),
 * {@code canI} makes it call {@code kubernetes/can_i}.
 */
class ClusterCliTest {
  static final String WASI = module("kubewarden/policy_wasi.wasm");
  static final String GET_DEFAULT_NAMESPACE =
      "{\"contextResource\":{\"api_version\":\"v1\",\"kind\":\"Namespace\",\"name\":\"default\"}}";

  private MockApiServer api;
  private KubernetesClient admin;

  @BeforeEach
  void start() {
    api = new MockApiServer();
    admin = api.adminClient();
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("default")
                .addToLabels("team", "a")
                .endMetadata()
                .build())
        .create();
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    api.close();
  }

  @Test
  void allowContextAwareReadsTheClusterOfTheKubeconfig(@TempDir Path dir) throws Exception {
    Path kubeconfig = api.writeKubeconfig(dir.resolve("config"), "mock");
    String answer =
        kwctl(
            run(
                "run",
                WASI,
                "-r",
                request("pod-create.json"),
                "--settings-json",
                GET_DEFAULT_NAMESPACE,
                "--allow-context-aware",
                "--kubeconfig",
                kubeconfig.toString(),
                "--context",
                "mock"));
    assertThat(answer).contains("\"allowed\":true").contains("context:default");
  }

  @Test
  void recordedAgainstTheClusterThenReplayedWithoutIt(@TempDir Path dir) throws Exception {
    Path kubeconfig = api.writeKubeconfig(dir.resolve("config"), "mock");
    Path session = dir.resolve("session.yml");
    String live =
        kwctl(
            run(
                "run",
                WASI,
                "-r",
                request("pod-create.json"),
                "--settings-json",
                GET_DEFAULT_NAMESPACE,
                "--allow-context-aware",
                "--kubeconfig",
                kubeconfig.toString(),
                "--record-host-capabilities-interactions",
                session.toString()));
    assertThat(Files.readString(session)).contains("!KubernetesGetResource").contains("default");
    api.close(); // no API server any more
    String replayed =
        kwctl(
            run(
                "run",
                WASI,
                "-r",
                request("pod-create.json"),
                "--settings-json",
                GET_DEFAULT_NAMESPACE,
                "--allow-context-aware",
                "--replay-host-capabilities-interactions",
                session.toString()));
    assertThat(replayed).isEqualTo(live);
    api = new MockApiServer(); // for stop()
  }

  @Test
  void anUnreachableApiServerIsThePolicysHostError(@TempDir Path dir) throws Exception {
    Path kubeconfig = api.writeKubeconfig(dir.resolve("config"), "mock");
    api.proxy().down();
    String answer =
        kwctl(
            run(
                "run",
                WASI,
                "-r",
                request("pod-create.json"),
                "--settings-json",
                GET_DEFAULT_NAMESPACE,
                "--allow-context-aware",
                "--kubeconfig",
                kubeconfig.toString()));
    assertThat(answer)
        .contains("\"allowed\":false")
        .contains(
            "context error: Callback evaluation failure: cannot reach the Kubernetes API server to"
                + " list v1/Namespace");
  }

  @Test
  void kubeconfigFlagsNeedAllowContextAware(@TempDir Path dir) {
    Cli.Result r =
        run("run", WASI, "-r", request("pod-create.json"), "--kubeconfig", dir.toString());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err())
        .contains(
            "--kubeconfig only apply with --allow-context-aware (the cluster context-aware"
                + " policies read)");
  }
}
