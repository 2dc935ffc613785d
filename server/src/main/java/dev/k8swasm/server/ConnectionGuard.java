package dev.k8swasm.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SelectableChannelEndPoint;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Per-connection limits Jetty does not have: at most {@code maxPerClient} open connections per IP
 * address (more are closed at once), and a deadline for a new connection to finish its TLS
 * handshake and send the headers of its first request (slow-loris clients that trickle a
 * ClientHello or headers are closed then, whatever their pace). Runs on Jetty's I/O threads and
 * scheduler; no thread waits for a slow client.
 */
final class ConnectionGuard implements Connection.Listener {
  private final int maxPerClient;
  private final Duration firstRequestTimeout;
  private final Scheduler scheduler;
  private final ServerMetrics metrics;
  private final Map<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
  private final Set<Connection> counted = ConcurrentHashMap.newKeySet();
  private final Set<SocketAddress> served = ConcurrentHashMap.newKeySet();

  ConnectionGuard(
      int maxPerClient, Duration firstRequestTimeout, Scheduler scheduler, ServerMetrics metrics) {
    this.maxPerClient = maxPerClient;
    this.firstRequestTimeout = firstRequestTimeout;
    this.scheduler = scheduler;
    this.metrics = metrics;
  }

  @Override
  public void onOpened(Connection connection) {
    EndPoint endPoint = connection.getEndPoint();
    if (!(endPoint instanceof SelectableChannelEndPoint)
        || !(endPoint.getRemoteSocketAddress() instanceof InetSocketAddress remote)) {
      return; // a protocol on top of TLS: the network connection was counted already
    }
    counted.add(connection);
    int n =
        perClient.computeIfAbsent(remote.getAddress(), a -> new AtomicInteger()).incrementAndGet();
    if (n > maxPerClient) {
      metrics.connectionClosed("client_limit");
      endPoint.close();
      return;
    }
    scheduler.schedule(
        () -> {
          if (endPoint.isOpen() && !served.contains(remote)) {
            metrics.connectionClosed("slow_handshake_or_headers");
            endPoint.close();
          }
        },
        firstRequestTimeout.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void onClosed(Connection connection) {
    if (!counted.remove(connection)) {
      return;
    }
    if (connection.getEndPoint().getRemoteSocketAddress() instanceof InetSocketAddress remote) {
      served.remove(remote);
      perClient.computeIfPresent(
          remote.getAddress(), (a, count) -> count.decrementAndGet() <= 0 ? null : count);
    }
  }

  /** A request's headers arrived on the connection from {@code remote}. */
  void served(SocketAddress remote) {
    served.add(remote);
  }

  /** Open connections. */
  int open() {
    return counted.size();
  }
}
