package dev.k8swasm.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import dev.k8swasm.server.tls.ServerTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/** Starts servers on loopback and talks to them like kube-apiserver does. */
public final class Fixture {
  private Fixture() {}

  /** The repository's {@code examples} folder. */
  public static Path examples() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("examples");
      if (Files.isDirectory(candidate.resolve("modules"))) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("examples/modules not found");
  }

  /** The repository's root folder. */
  public static Path root() {
    return examples().getParent();
  }

  /** A module of examples/modules, e.g. {@code magic_validator.wasm}, {@code hostile/trap.wasm}. */
  public static Path module(String name) {
    return examples().resolve("modules").resolve(name);
  }

  /** A config file of examples/config. */
  public static Path exampleConfig(String name) {
    return examples().resolve("config").resolve(name);
  }

  /** A request body: from examples/requests, else from the test resources serve/requests. */
  public static String request(String name) {
    Path p = examples().resolve("requests").resolve(name);
    try {
      if (Files.exists(p)) {
        return Files.readString(p);
      }
      try (var in = Fixture.class.getResourceAsStream("/serve/requests/" + name)) {
        if (in == null) {
          throw new IllegalStateException("no request " + name);
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, text);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Command-line style settings for tests: loopback, any port, no watching unless asked. */
  public static final class Flags {
    public Integer port = 0;
    public Integer metricsPort;
    public Path tlsCert;
    public Path tlsKey;
    public Path clientCa;
    public List<Path> clientCas;
    public Long maxRequestBytes;
    public Integer workers;
    public Integer queueSize;
    public Duration gracePeriod = Duration.ofSeconds(5);
    public Duration reloadInterval;
    public Boolean watch = false;
    public java.util.function.UnaryOperator<dev.k8swasm.module.ModuleSpec.Builder> specCustomizer =
        java.util.function.UnaryOperator.identity();
    public java.util.function.UnaryOperator<ServerLimits.Builder> limits =
        java.util.function.UnaryOperator.identity();
    public String alwaysAcceptNamespace;

    public ServeSettings.Overrides overrides() {
      return new ServeSettings.Overrides(
          "127.0.0.1",
          port,
          metricsPort,
          tlsCert,
          tlsKey,
          clientCas != null ? clientCas : clientCa == null ? null : List.of(clientCa),
          null,
          maxRequestBytes,
          workers,
          queueSize,
          gracePeriod,
          reloadInterval,
          watch);
    }
  }

  /** A running server and an HTTPS client that trusts it. */
  static final class Running implements AutoCloseable {
    final WebhookServer server;
    final HttpClient client;
    final List<AccessLog.Entry> log;

    Running(WebhookServer server, HttpClient client, List<AccessLog.Entry> log) {
      this.server = server;
      this.client = client;
      this.log = log;
    }

    URI uri(String path) {
      return URI.create("https://127.0.0.1:" + server.port() + path);
    }

    HttpResponse<String> post(String path, String body) {
      return send(
          HttpRequest.newBuilder(uri(path))
              .header("Content-Type", "application/json")
              .header("Accept", "application/json, */*")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .timeout(Duration.ofSeconds(30))
              .build());
    }

    HttpResponse<String> get(String path) {
      return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).build());
    }

    HttpResponse<String> send(HttpRequest request) {
      try {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /** POSTs and checks for 200 and a JSON answer. */
    JsonNode review(String path, String body) {
      HttpResponse<String> r = post(path, body);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
      return json(r);
    }

    /** The value of a metric: the sum over the series having all {@code labels} (k, v, ...). */
    double metric(String name, String... labels) {
      return Fixture.metric(get(WebhookServer.METRICS).body(), name, labels);
    }

    /**
     * Waits (up to 10 s) until a metric reaches {@code atLeast}. The server records an HTTP request
     * once the exchange is closed, which can be just after the client has read the answer.
     */
    void awaitMetric(double atLeast, String name, String... labels) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (metric(name, labels) < atLeast && System.nanoTime() < deadline) {
        LockSupport.parkNanos(5_000_000);
      }
    }

    @Override
    public void close() {
      server.shutdown(Duration.ofSeconds(5));
    }
  }

  public static JsonNode json(HttpResponse<String> r) {
    return json(r.body());
  }

  public static JsonNode json(String text) {
    return Json.readTree(text.getBytes(StandardCharsets.UTF_8));
  }

  private static final Pattern SERIES =
      Pattern.compile("^([a-zA-Z_:][\\w:]*)(\\{(.*)\\})? (\\S+)$");

  static double metric(String scrape, String name, String... labels) {
    double sum = 0;
    for (String line : scrape.split("\n")) {
      Matcher m = SERIES.matcher(line);
      if (!m.matches() || !m.group(1).equals(name)) {
        continue;
      }
      String l = m.group(3) == null ? "" : m.group(3);
      boolean all = true;
      for (int i = 0; i < labels.length; i += 2) {
        if (!l.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
          all = false;
        }
      }
      if (all) {
        sum += Double.parseDouble(m.group(4));
      }
    }
    return sum;
  }

  /** Starts a server for {@code config} and a client trusting its (generated) certificate. */
  static Running start(Path config, Flags flags) throws IOException {
    List<AccessLog.Entry> log = new CopyOnWriteArrayList<>();
    WebhookServer.Builder builder =
        WebhookServer.builder(config)
            .overrides(flags.overrides())
            .limits(flags.limits)
            .specCustomizer(flags.specCustomizer)
            .accessLog(log::add);
    if (flags.alwaysAcceptNamespace != null) {
      builder.alwaysAcceptAdmissionReviewsOnNamespace(flags.alwaysAcceptNamespace);
    }
    WebhookServer server = builder.build().start();
    List<X509Certificate> chain = server.certificateChain();
    return new Running(server, client(List.of(chain.get(chain.size() - 1)), null, null), log);
  }

  /** An HTTPS client trusting {@code cas}, presenting {@code cert}/{@code key} when given. */
  public static HttpClient client(
      List<X509Certificate> cas, X509Certificate[] cert, PrivateKey key) {
    return HttpClient.newBuilder()
        .sslContext(sslContext(cas, cert, key))
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  public static SSLContext sslContext(
      List<X509Certificate> cas, X509Certificate[] cert, PrivateKey key) {
    try {
      KeyManager[] kms = null;
      if (cert != null) {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", key, new char[0], cert);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, new char[0]);
        kms = kmf.getKeyManagers();
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kms, new TrustManager[] {ServerTls.trusting(cas)}, null);
      return ctx;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits (up to 30 s) until {@code check} holds. */
  public static void await(java.util.concurrent.Callable<Boolean> check, String what)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!check.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      LockSupport.parkNanos(10_000_000);
    }
  }

  /**
   * A policies.yml as Kubewarden's controller writes it into a PolicyServer's ConfigMap (JSON, with
   * {@code namespacedName} and {@code hostCapabilities}): a cluster-wide policy, a namespaced one
   * in monitor mode, a group, all of {@code module}.
   */
  public static String controllerWrittenPolicies(Path module) {
    String m = module.toString().replace("\\", "/");
    return "{\"clusterwide-no-forbidden\":{\"namespacedName\":{\"Namespace\":\"\",\"Name\":"
        + "\"no-forbidden\"},\"module\":\""
        + m
        + "\",\"policyMode\":\"protect\",\"allowedToMutate\":false,\"settings\":"
        + "{\"forbiddenLabels\":[\"forbidden\"]},\"hostCapabilities\":[\"*\"]},"
        + "\"namespaced-team-a-watch\":{\"namespacedName\":{\"Namespace\":\"team-a\",\"Name\":"
        + "\"watch\"},\"module\":\""
        + m
        + "\",\"policyMode\":\"monitor\",\"allowedToMutate\":false,\"settings\":"
        + "{\"forbiddenLabels\":[\"forbidden\"]},\"message\":\"not here\",\"timeoutEvalSeconds\":5,"
        + "\"hostCapabilities\":[\"oci/*\"]},"
        + "\"clusterwide-forbidden-group\":{\"namespacedName\":{\"Namespace\":\"\",\"Name\":"
        + "\"forbidden-group\"},\"policyMode\":\"protect\",\"policies\":{\"no_forbidden\":"
        + "{\"module\":\""
        + m
        + "\",\"settings\":{\"forbiddenLabels\":[\"forbidden\"]},\"hostCapabilities\":[\"*\"]}},"
        + "\"expression\":\"no_forbidden()\",\"message\":\"\"}}";
  }

  /** YAML text: a module entry. */
  public static String moduleEntry(String name, Path module, String... extraLines) {
    StringBuilder s = new StringBuilder();
    s.append("  - name: ").append(name).append('\n');
    s.append("    module: ").append(module.toAbsolutePath()).append('\n');
    for (String l : extraLines) {
      s.append("    ").append(l).append('\n');
    }
    return s.toString();
  }
}
