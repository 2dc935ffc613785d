package dev.k8swasm.cli;

import dev.k8swasm.server.Fixture;
import dev.k8swasm.server.tls.Pem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar k8s-wasm.jar serve} as a real process for integration tests: started on a free
 * loopback port with a generated certificate whose CA goes to a file, its stderr collected line by
 * line; {@link #close()} stops it (SIGTERM, then forcibly).
 */
final class ServeProcess implements AutoCloseable {
  private static final Pattern METRICS = Pattern.compile("metrics on http://[^:]+:(\\d+)");

  private final Process process;
  private final Thread reader;
  private final List<String> stderr;
  private final int port;
  private final int metricsPort;
  private final HttpClient client;

  private ServeProcess(
      Process process,
      Thread reader,
      List<String> stderr,
      int port,
      int metricsPort,
      HttpClient client) {
    this.process = process;
    this.reader = reader;
    this.stderr = stderr;
    this.port = port;
    this.metricsPort = metricsPort;
    this.client = client;
  }

  /**
   * Starts {@code serve} with {@code args} (besides address, port and {@code --ca-out}) and {@code
   * env} added to the environment; returns once it listens and its CA is written into {@code dir}.
   */
  static ServeProcess start(Path dir, List<String> args, Map<String, String> env) throws Exception {
    Path ca = Files.createTempFile(dir, "ca-", ".pem");
    Files.delete(ca);
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                ServeIT.jar(),
                "serve",
                "--address",
                "127.0.0.1",
                "--port",
                "0",
                "--ca-out",
                ca.toString()));
    command.addAll(args);
    return launch(command, env, ca, true);
  }

  /**
   * Runs {@code command} (a whole {@code java ... serve ...} command line) with {@code env} added
   * to the environment, trusting the CA certificate(s) in {@code trustedCa}; returns once it
   * listens.
   */
  static ServeProcess launch(List<String> command, Map<String, String> env, Path trustedCa)
      throws Exception {
    return launch(command, env, trustedCa, false);
  }

  private static ServeProcess launch(
      List<String> command, Map<String, String> env, Path ca, boolean caWrittenByServe)
      throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().putAll(env);
    Process p = builder.start();
    List<String> stderr = new CopyOnWriteArrayList<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    AtomicInteger metricsPort = new AtomicInteger(-1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  stderr.add(line);
                  Matcher m = ServeIT.LISTENING.matcher(line);
                  if (m.find()) {
                    Matcher metrics = METRICS.matcher(line);
                    if (metrics.find()) {
                      metricsPort.set(Integer.parseInt(metrics.group(1)));
                    }
                    port.complete(Integer.parseInt(m.group(1)));
                  }
                }
                port.completeExceptionally(new IllegalStateException("serve ended: " + stderr));
              } catch (IOException e) {
                port.completeExceptionally(e);
              }
            });
    reader.start();
    try {
      int bound = port.get(120, TimeUnit.SECONDS);
      if (caWrittenByServe) {
        Fixture.await(() -> Files.exists(ca) && Files.size(ca) > 0, "the CA file");
      }
      return new ServeProcess(
          p,
          reader,
          stderr,
          bound,
          metricsPort.get(),
          Fixture.client(Pem.certificates(ca), null, null));
    } catch (Exception | Error e) {
      p.destroyForcibly();
      throw e;
    }
  }

  /** The HTTPS port it listens on. */
  int port() {
    return port;
  }

  /** The plain-HTTP probe and metrics port, or -1 when it serves none. */
  int metricsPort() {
    return metricsPort;
  }

  /** Its stderr so far, one element a line. */
  List<String> stderr() {
    return stderr;
  }

  /** The process itself. */
  Process process() {
    return process;
  }

  /** POSTs {@code body} to {@code path} (a minute at most). */
  HttpResponse<String> post(String path, String body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(60))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** GETs {@code path}. */
  HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("https://localhost:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** GETs {@code /readiness} on the plain-HTTP probe port (which must be served). */
  HttpResponse<String> readiness() throws Exception {
    if (metricsPort < 0) {
      throw new IllegalStateException("serve was started without a metrics/readiness port");
    }
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/readiness"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Polls {@code /readiness} (up to 30 s) until its body satisfies {@code body}; the last answer.
   */
  HttpResponse<String> awaitReadiness(java.util.function.Predicate<String> body) throws Exception {
    java.util.concurrent.atomic.AtomicReference<HttpResponse<String>> last =
        new java.util.concurrent.atomic.AtomicReference<>();
    Fixture.await(
        () -> {
          last.set(readiness());
          return body.test(last.get().body());
        },
        "readiness answering as expected");
    return last.get();
  }

  /** Polls {@code /readiness} until it answers 200. */
  void awaitReady() throws Exception {
    Fixture.await(() -> readiness().statusCode() == 200, "readiness 200");
  }

  /** Sends SIGTERM and waits for it to end; true when it did within 30 s. */
  boolean stop() throws InterruptedException {
    process.toHandle().destroy();
    boolean ended = process.waitFor(30, TimeUnit.SECONDS);
    reader.join(5000);
    return ended;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive() && !stop()) {
      process.destroyForcibly();
    }
  }
}
