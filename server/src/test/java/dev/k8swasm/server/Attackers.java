package dev.k8swasm.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * Hostile clients for the hardening tests: sockets that trickle a TLS ClientHello or HTTP headers
 * one byte at a time, and probes that behave like kubelet's (a new connection each time, 2 s
 * timeout).
 */
final class Attackers implements AutoCloseable {
  private final List<Socket> sockets = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);

  /** Connections the server closed while they trickled. */
  final AtomicInteger closedByServer = new AtomicInteger();

  /** Connections opened (including reconnections after a close). */
  final AtomicInteger opened = new AtomicInteger();

  /** A TLS ClientHello as a real client sends it. */
  static byte[] clientHello() throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, null, null);
    SSLEngine engine = ctx.createSSLEngine("localhost", 443);
    engine.setUseClientMode(true);
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.beginHandshake();
    engine.wrap(ByteBuffer.allocate(0), out);
    out.flip();
    byte[] hello = new byte[out.remaining()];
    out.get(hello);
    return hello;
  }

  /** The start of an HTTP request whose headers never end. */
  static byte[] endlessHeaders() {
    StringBuilder s = new StringBuilder("GET /healthz HTTP/1.1\r\nHost: localhost\r\n");
    for (int i = 0; i < 200; i++) {
      s.append("X-Slow-").append(i).append(": ").append("a".repeat(20)).append("\r\n");
    }
    return s.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Starts {@code count} connections to {@code port} that send {@code bytes} one byte every {@code
   * pause}, reconnecting when the server closes them (as the attackers of issue 19 did).
   */
  void trickle(int port, int count, byte[] bytes, Duration pause) {
    for (int i = 0; i < count; i++) {
      Thread t =
          new Thread(
              () -> {
                while (running.get()) {
                  try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                    synchronized (sockets) {
                      sockets.add(socket);
                    }
                    opened.incrementAndGet();
                    OutputStream out = socket.getOutputStream();
                    for (int b = 0; b < bytes.length && running.get(); b++) {
                      out.write(bytes[b]);
                      out.flush();
                      Thread.sleep(pause.toMillis());
                    }
                  } catch (IOException e) {
                    if (running.get()) {
                      closedByServer.incrementAndGet();
                    }
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "attacker-" + i);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
  }

  /**
   * {@code count} kubelet-style probes of {@code uri}, one every {@code every}, each on a new
   * connection with a 2-second timeout; returns how many were answered with 200.
   */
  static int probe(URI uri, SSLContext tls, int count, Duration every) throws Exception {
    int answered = 0;
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      HttpClient.Builder b =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(2));
      if (tls != null) {
        b.sslContext(tls);
      }
      try {
        HttpResponse<String> r =
            b.build()
                .send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          answered++;
        }
      } catch (IOException e) {
        // not answered in time
      }
      long left = every.toMillis() - (System.nanoTime() - start) / 1_000_000;
      if (left > 0 && i < count - 1) {
        Thread.sleep(left);
      }
    }
    return answered;
  }

  /** A TLS context trusting {@code ca}, with a client certificate when given. */
  static SSLContext tls(X509Certificate ca, X509Certificate[] cert, java.security.PrivateKey key) {
    return Fixture.sslContext(List.of(ca), cert, key);
  }

  /** Reads from {@code in} until the server closes, at most {@code limit}; true when closed. */
  static boolean closedWithin(Socket socket, Duration limit) throws IOException {
    socket.setSoTimeout((int) limit.toMillis());
    InputStream in = socket.getInputStream();
    try {
      while (in.read() >= 0) {
        // whatever it sends
      }
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() {
    running.set(false);
    synchronized (sockets) {
      for (Socket s : sockets) {
        try {
          s.close();
        } catch (IOException e) {
          // closing
        }
      }
    }
    for (Thread t : threads) {
      t.interrupt();
    }
  }
}
