package dev.k8swasm.cluster;

import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * fabric8's mock API server in CRUD mode (objects created through the REST API are stored and
 * watched; expectations set with {@link #server()}{@code .expect()} answer first), on loopback,
 * reached through a {@link TcpProxy} so tests can take it away and bring it back.
 */
public final class MockApiServer implements AutoCloseable {
  private final KubernetesMockServer server;
  private final TcpProxy proxy;

  /** Starts the mock server and its proxy on free loopback ports. */
  public MockApiServer() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            false);
    try {
      server.init(InetAddress.getLoopbackAddress(), 0);
      proxy = new TcpProxy(server.getPort());
    } catch (IOException e) {
      server.destroy();
      throw new UncheckedIOException(e);
    }
  }

  /** The mock server (expectations, recorded requests). */
  public KubernetesMockServer server() {
    return server;
  }

  /** The proxy clients go through. */
  public TcpProxy proxy() {
    return proxy;
  }

  /** The client configuration of a user reaching the API server through the proxy. */
  public Config config() {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl("http://127.0.0.1:" + proxy.port())
        .withNamespace("default")
        .withRequestRetryBackoffLimit(0)
        .withConnectionTimeout(2_000)
        .withRequestTimeout(5_000)
        .withWatchReconnectInterval(100)
        .build();
  }

  /** A new client (the caller closes it). */
  public KubernetesClient client() {
    return new KubernetesClientBuilder().withConfig(config()).build();
  }

  /** A client that bypasses the proxy (for a test's own set-up while the proxy is down). */
  public KubernetesClient adminClient() {
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(config())
                .withMasterUrl("http://127.0.0.1:" + server.getPort())
                .build())
        .build();
  }

  /**
   * Creates, through {@code admin}, an Ingress {@code namespace/name} with one rule for {@code
   * host}.
   */
  public static void createIngress(
      KubernetesClient admin, String namespace, String name, String host) {
    admin
        .network()
        .v1()
        .ingresses()
        .inNamespace(namespace)
        .resource(
            new IngressBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .addNewRule()
                .withHost(host)
                .endRule()
                .endSpec()
                .build())
        .create();
  }

  /** Writes a kubeconfig whose current context {@code context} reaches the proxy. */
  public Path writeKubeconfig(Path file, String context) throws IOException {
    return Files.writeString(
        file,
        "apiVersion: v1\n"
            + "kind: Config\n"
            + "current-context: "
            + context
            + "\n"
            + "clusters:\n"
            + "- name: mock\n"
            + "  cluster: {server: \"http://127.0.0.1:"
            + proxy.port()
            + "\"}\n"
            + "users:\n"
            + "- name: tester\n"
            + "  user: {token: test-token}\n"
            + "contexts:\n"
            + "- name: "
            + context
            + "\n"
            + "  context: {cluster: mock, user: tester, namespace: default}\n");
  }

  /**
   * Stops the proxy and the mock server. The mock server waits 10 s at most for its event loop to
   * stop; on a loaded machine that can pass, and the test that used it is not failed for it (the
   * port is released when its event loop ends).
   */
  @Override
  public void close() throws IOException {
    proxy.close();
    try {
      server.destroy();
    } catch (IllegalStateException e) {
      if (!(e.getCause() instanceof java.util.concurrent.TimeoutException)) {
        throw e;
      }
      System.err.println(
          "mock API server: " + e.getMessage() + " within its timeout; left to stop");
    }
  }
}
