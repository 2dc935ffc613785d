package dev.k8swasm.server;

import dev.k8swasm.server.tls.ServerTls;
import java.io.IOException;
import java.util.Optional;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP front on Jetty: TLS handshakes, HTTP/2 (ALPN {@code h2}) and HTTP/1.1, header parsing
 * and body reading on Jetty's selector and I/O threads, never on the evaluation workers. Limits:
 * connections per port and per client, idle timeout, a deadline for the TLS handshake and first
 * request headers ({@link ConnectionGuard}), header size (431), HTTP/2 streams per connection. The
 * optional plain-HTTP port serves only probes and metrics, with its own connection cap.
 */
final class HttpFront implements AutoCloseable {
  /** Open connections allowed on the probe and metrics port. */
  static final int OPS_CONNECTIONS = 64;

  private final Server server;
  private final ServerConnector https;
  private final ServerConnector ops;
  private final ConnectionGuard guard;
  private volatile int httpsPort = -1;
  private volatile int opsPort = -1;

  HttpFront(ServeSettings settings, ServerTls tls, ServerMetrics metrics) {
    ServerLimits limits = settings.limits();
    QueuedThreadPool threads = new QueuedThreadPool(limits.ioThreads(), 4);
    threads.setName("k8s-wasm-io");
    threads.setDaemon(true);
    server = new Server(threads);
    server.setErrorHandler(new Responses(metrics));
    guard =
        new ConnectionGuard(
            limits.maxConnectionsPerClient(),
            limits.handshakeTimeout(),
            server.getScheduler(),
            metrics);

    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(limits.maxHeaderBytes());
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    HttpConfiguration secure = new HttpConfiguration(http);
    // kube-apiserver connects by IP or by a Service name: the certificate's names are its concern
    secure.addCustomizer(new SecureRequestCustomizer(false));
    HttpConnectionFactory h1 = new HttpConnectionFactory(secure);
    HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(secure);
    h2.setMaxConcurrentStreams(limits.maxStreamsPerConnection());
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
    alpn.setDefaultProtocol(h1.getProtocol());
    SslConnectionFactory ssl =
        new SslConnectionFactory(tls.sslContextFactory(), alpn.getProtocol());
    https = new ServerConnector(server, 1, 1, ssl, alpn, h2, h1);
    https.setName("https");
    https.setHost(settings.address());
    https.setPort(settings.port());
    https.setIdleTimeout(limits.idleTimeout().toMillis());
    https.setAcceptQueueSize(256);
    https.addEventListener(guard);
    server.addConnector(https);
    server.addBean(new NetworkConnectionLimit(limits.maxConnections(), https));

    if (settings.metricsPort().isPresent()) {
      ops = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
      ops.setName(Dispatcher.OPS_CONNECTOR);
      ops.setHost(settings.address());
      ops.setPort(settings.metricsPort().get());
      ops.setIdleTimeout(Math.min(limits.idleTimeout().toMillis(), 10_000));
      ops.addEventListener(guard);
      server.addConnector(ops);
      server.addBean(new NetworkConnectionLimit(OPS_CONNECTIONS, ops));
    } else {
      ops = null;
    }
    metrics.gauge("k8swasm.http.connections", "Open network connections", guard::open);
  }

  /** Marks that a request arrived (see {@link ConnectionGuard#served}). */
  ConnectionGuard guard() {
    return guard;
  }

  /** Binds the ports and starts serving with {@code handler}. */
  void start(Handler handler) throws IOException {
    server.setHandler(handler);
    try {
      server.start();
      httpsPort = https.getLocalPort();
      opsPort = ops == null ? -1 : ops.getLocalPort();
    } catch (IOException e) {
      stopQuietly();
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      if (root instanceof java.net.BindException) {
        // Jetty says "Failed to bind to /ADDR:PORT"; the cause says why
        java.net.BindException bind =
            new java.net.BindException(
                e.getMessage().replace("Failed to bind to /", "cannot listen on ")
                    + ": "
                    + root.getMessage()
                    + " (another process has the port: choose another one)");
        bind.initCause(e);
        throw bind;
      }
      throw e;
    } catch (Exception e) {
      stopQuietly();
      throw new IOException("cannot start the HTTP server: " + e.getMessage(), e);
    }
  }

  /** The HTTPS port bound. */
  int port() {
    return httpsPort;
  }

  /** The plain-HTTP probe and metrics port bound, if any. */
  Optional<Integer> metricsPort() {
    return ops == null ? Optional.empty() : Optional.of(opsPort);
  }

  /** Closes the listening sockets: no new connections; open ones keep being served. */
  void stopAccepting() {
    https.close();
    if (ops != null) {
      ops.close();
    }
  }

  /** Closes every connection and stops the threads. */
  @Override
  public void close() {
    stopQuietly();
  }

  private void stopQuietly() {
    try {
      server.setStopTimeout(0);
      server.stop();
    } catch (Exception e) {
      // stopping anyway
    }
  }
}
