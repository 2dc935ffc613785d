package dev.k8swasm.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP forwarder in front of the mock API server, so a test can take the "API server"
 * away ({@link #down()}: connections cut, new ones refused) and bring it back on the same port
 * ({@link #up()}).
 */
public final class TcpProxy implements AutoCloseable {
  private final int target;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile ServerSocket listener;
  private int port;

  TcpProxy(int target) throws IOException {
    this.target = target;
    up();
  }

  /** The loopback port clients connect to. */
  public int port() {
    return port;
  }

  /** Accepts connections again, on the same port. */
  public synchronized void up() throws IOException {
    if (listener != null) {
      return;
    }
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    port = s.getLocalPort();
    listener = s;
    Thread accept = new Thread(() -> accept(s), "tcp-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  /** Cuts every connection and refuses new ones. */
  public synchronized void down() throws IOException {
    ServerSocket s = listener;
    listener = null;
    if (s != null) {
      s.close();
    }
    for (Socket socket : open) {
      socket.close();
    }
    open.clear();
  }

  private void accept(ServerSocket s) {
    while (!s.isClosed()) {
      try {
        Socket client = s.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
        synchronized (this) {
          if (listener != s) {
            // down() ran while this connection was being set up: it is cut too
            client.close();
            upstream.close();
            continue;
          }
          open.add(client);
          open.add(upstream);
        }
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        // closed by down(), or the target refused: the client sees its connection end
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[16384];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // one side closed
              } finally {
                try {
                  from.close();
                  to.close();
                } catch (IOException e) {
                  // already closed
                }
              }
            },
            "tcp-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    down();
  }
}
