package dev.k8swasm.cluster;

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
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * fabric8's mock API server in CRUD mode (objects created through the REST API are stored and
 * watched; expectations set with {@link #server()}{@code .expect()} answer first), on loopback,
 * reached through a {@link TcpProxy} so tests can take it away and bring it back.
 */
final class MockApiServer implements AutoCloseable {
  private final KubernetesMockServer server;
  private final TcpProxy proxy;

  MockApiServer() {
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

  KubernetesMockServer server() {
    return server;
  }

  TcpProxy proxy() {
    return proxy;
  }

  /** The client configuration of a user reaching the API server through the proxy. */
  Config config() {
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
  KubernetesClient client() {
    return new KubernetesClientBuilder().withConfig(config()).build();
  }

  @Override
  public void close() throws IOException {
    proxy.close();
    server.destroy();
  }
}
