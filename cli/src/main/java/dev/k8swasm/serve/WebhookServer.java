package dev.k8swasm.serve;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import dev.k8swasm.admission.AdmissionChain;
import dev.k8swasm.config.ChainOptions;
import dev.k8swasm.config.ConfigException;
import dev.k8swasm.json.Json;
import dev.k8swasm.json.Redaction;
import dev.k8swasm.module.ModuleSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook server for kube-apiserver: HTTPS (JDK {@link HttpsServer}), a bounded worker pool,
 * hot reload of the configuration, Prometheus metrics, health and readiness, graceful shutdown.
 *
 * <p>Endpoints: {@code POST /authenticate} (TokenReview v1, v1beta1), {@code POST /authorize}
 * (SubjectAccessReview v1, v1beta1), {@code POST /mutate} and {@code POST /validate}
 * (AdmissionReview v1: the mutating resp. validating modules), {@code POST /mutate/NAME} and {@code
 * POST /validate/NAME} (one module), {@code GET /healthz}, {@code GET /readyz}, {@code GET
 * /metrics}. Every answer is {@code application/json} except health and metrics; errors are a
 * {@code metav1.Status} with a reason, never a stack trace.
 */
public final class WebhookServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);

  /** {@code POST}: TokenReview. */
  public static final String AUTHENTICATE = "/authenticate";

  /** {@code POST}: SubjectAccessReview. */
  public static final String AUTHORIZE = "/authorize";

  /** {@code POST}: AdmissionReview, mutating modules; {@code /mutate/NAME} for one. */
  public static final String MUTATE = "/mutate";

  /** {@code POST}: AdmissionReview, validating modules; {@code /validate/NAME} for one. */
  public static final String VALIDATE = "/validate";

  /** {@code GET}: liveness. */
  public static final String HEALTHZ = "/healthz";

  /** {@code GET}: readiness (a configuration is loaded and the server is not stopping). */
  public static final String READYZ = "/readyz";

  /** {@code GET}: Prometheus metrics. */
  public static final String METRICS = "/metrics";

  /** The content type of the Prometheus text format. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private static final String JSON = "application/json";
  private static final long DRAIN_LIMIT = 1L << 20;

  /** The routes, with the method each accepts. */
  enum Route {
    AUTHENTICATE_ROUTE(AUTHENTICATE, "POST", false),
    AUTHORIZE_ROUTE(AUTHORIZE, "POST", false),
    MUTATE_ROUTE(MUTATE, "POST", false),
    VALIDATE_ROUTE(VALIDATE, "POST", false),
    MUTATE_ONE(MUTATE + "/{module}", "POST", false),
    VALIDATE_ONE(VALIDATE + "/{module}", "POST", false),
    HEALTHZ_ROUTE(HEALTHZ, "GET", true),
    READYZ_ROUTE(READYZ, "GET", true),
    METRICS_ROUTE(METRICS, "GET", true);

    final String label;
    final String method;
    final boolean ops;

    Route(String label, String method, boolean ops) {
      this.label = label;
      this.method = method;
      this.ops = ops;
    }

    static Route of(String path) {
      if (path == null) {
        return null;
      }
      for (Route r : values()) {
        if (r.label.equals(path)) {
          return r;
        }
      }
      if (path.startsWith(MUTATE + "/") && module(path) != null) {
        return MUTATE_ONE;
      }
      if (path.startsWith(VALIDATE + "/") && module(path) != null) {
        return VALIDATE_ONE;
      }
      return null;
    }

    static String module(String path) {
      String rest = path.substring(path.indexOf('/', 1) + 1);
      return rest.isEmpty() || rest.contains("/") ? null : rest;
    }
  }

  /** How to start a server; everything but the configuration file is optional. */
  public static final class Options {
    private final Path config;
    private ServeSettings.Overrides overrides = ServeSettings.Overrides.none();
    private UnaryOperator<ModuleSpec.Builder> specCustomizer = UnaryOperator.identity();
    private AccessLog accessLog = AccessLog.slf4j();

    /** Options for the server configured in {@code config}. */
    public Options(Path config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** Settings given on the command line, overriding the file's. */
    public Options overrides(ServeSettings.Overrides overrides) {
      this.overrides = Objects.requireNonNull(overrides, "overrides");
      return this;
    }

    /** Applied to every module's spec (e.g. limits given on the command line). */
    public Options specCustomizer(UnaryOperator<ModuleSpec.Builder> specCustomizer) {
      this.specCustomizer = Objects.requireNonNull(specCustomizer, "specCustomizer");
      return this;
    }

    /** Where request lines go (default: SLF4J logger {@code dev.k8swasm.serve.access}). */
    public Options accessLog(AccessLog accessLog) {
      this.accessLog = Objects.requireNonNull(accessLog, "accessLog");
      return this;
    }
  }

  private final Path configFile;
  private final ServeSettings settings;
  private final ServerMetrics metrics = new ServerMetrics();
  private final PolicyStore store = new PolicyStore();
  private final AccessLog accessLog;
  private final ServerTls tls;
  private final SelfSigned.Pair generated;
  private final WorkerPool pool;
  private final Reloader reloader;
  private final AtomicLong ids = new AtomicLong();
  private HttpsServer https;
  private HttpServer plain;
  private ThreadPoolExecutor plainExecutor;
  private FileWatcher configWatcher;
  private FileWatcher tlsWatcher;
  private volatile boolean stopping;
  private boolean stopped;

  private WebhookServer(ServerConfig config, ServeSettings settings, Options options) {
    this.configFile = config.file();
    this.settings = settings;
    this.accessLog = options.accessLog;
    List<X509Certificate> clientCas = settings.clientCa().map(Pem::certificates).orElse(null);
    if (settings.tlsCert().isPresent()) {
      this.generated = null;
      this.tls =
          new ServerTls(
              ServerTls.KeyMaterial.read(settings.tlsCert().get(), settings.tlsKey().get()),
              clientCas);
    } else {
      Set<String> names = new LinkedHashSet<>(SelfSigned.defaultNames());
      names.addAll(settings.tlsNames());
      this.generated = SelfSigned.generate(names, Duration.ofDays(365));
      this.tls =
          new ServerTls(new ServerTls.KeyMaterial(generated.key(), generated.chain()), clientCas);
    }
    this.pool = new WorkerPool("k8s-wasm", settings.workers(), settings.queueSize());
    ChainOptions chainOptions =
        ChainOptions.builder().listener(metrics).specCustomizer(options.specCustomizer).build();
    this.reloader = new Reloader(configFile, chainOptions, store, metrics);
    metrics.gauge("k8swasm.ready", "1 when ready to serve", () -> ready() ? 1 : 0);
    metrics.gauge(
        "k8swasm.config.generation",
        "The configuration generation serving (1 = loaded at startup)",
        () -> store.peek().map(Policies::generation).orElse(0L));
    metrics.gauge("k8swasm.http.inflight", "Requests received, not yet answered", pool::pending);
    metrics.gauge("k8swasm.http.queued", "Requests waiting for a worker", pool::queued);
  }

  /**
   * Starts the server: reads the configuration, binds the ports (so {@code /healthz} answers while
   * modules load), loads every module, then watches the files.
   *
   * @throws ConfigException when the configuration is invalid or a module cannot be loaded
   * @throws IllegalArgumentException when a setting or a TLS file is invalid
   * @throws IOException when a port cannot be bound
   */
  public static WebhookServer start(Options options) throws IOException {
    ServerConfig config = ServerConfig.read(options.config);
    ServeSettings settings = ServeSettings.resolve(config.settings(), options.overrides);
    WebhookServer server = new WebhookServer(config, settings, options);
    try {
      server.listen();
      if (settings.watch()) {
        server.watch();
      }
      server.reloader.loadInitial(config);
      return server;
    } catch (IOException | RuntimeException e) {
      server.shutdown(Duration.ZERO);
      throw e;
    }
  }

  private void listen() throws IOException {
    tuneJdkServer();
    https = HttpsServer.create(new InetSocketAddress(settings.address(), settings.port()), 256);
    https.setHttpsConfigurator(tls.configurator());
    https.createContext("/", ex -> handle(ex, false));
    https.setExecutor(pool);
    https.start();
    if (settings.metricsPort().isPresent()) {
      plain =
          HttpServer.create(
              new InetSocketAddress(settings.address(), settings.metricsPort().get()), 64);
      plainExecutor =
          new ThreadPoolExecutor(
              1,
              2,
              30,
              TimeUnit.SECONDS,
              new ArrayBlockingQueue<>(64),
              r -> {
                Thread t = new Thread(r, "k8s-wasm-metrics");
                t.setDaemon(true);
                return t;
              },
              new ThreadPoolExecutor.CallerRunsPolicy());
      plain.createContext("/", ex -> handle(ex, true));
      plain.setExecutor(plainExecutor);
      plain.start();
    }
    LOG.info(
        "listening on https://{}:{}{} workers={} queue={} maxRequestBytes={} tls={}",
        settings.address(),
        port(),
        plain == null ? "" : " metrics on http://" + settings.address() + ":" + metricsPort(),
        settings.workers(),
        settings.queueSize(),
        settings.maxRequestBytes(),
        tls.mutual() ? "mutual" : "server-only");
  }

  /**
   * Tunes the JDK server (unless already configured; it reads these once): TCP_NODELAY, as it
   * writes headers and body separately and Nagle's algorithm would hold the body back until the
   * client's delayed ACK (~40 ms a request); and bounds on how long it waits for a request's
   * headers and body and for a client to take the response, so slow clients cannot hold the
   * workers.
   */
  private static void tuneJdkServer() {
    setIfAbsent("sun.net.httpserver.nodelay", "true");
    setIfAbsent("sun.net.httpserver.maxReqTime", "30");
    setIfAbsent("sun.net.httpserver.maxRspTime", "30");
  }

  private static void setIfAbsent(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }

  private void watch() {
    Duration debounce = Duration.ofMillis(100);
    configWatcher =
        new FileWatcher(
            "config", reloader::files, reloader::check, settings.reloadInterval(), debounce);
    if (settings.tlsCert().isPresent()) {
      Set<Path> tlsFiles = new LinkedHashSet<>();
      tlsFiles.add(settings.tlsCert().get());
      tlsFiles.add(settings.tlsKey().get());
      settings.clientCa().ifPresent(tlsFiles::add);
      String[] last = {FileWatcher.digest(tlsFiles)};
      tlsWatcher =
          new FileWatcher(
              "tls",
              () -> tlsFiles,
              () -> {
                String d = FileWatcher.digest(tlsFiles);
                if (!d.equals(last[0])) {
                  last[0] = d;
                  reloadTls();
                }
              },
              settings.reloadInterval(),
              debounce);
    }
  }

  private void reloadTls() {
    try {
      ServerTls.KeyMaterial m =
          ServerTls.KeyMaterial.read(settings.tlsCert().get(), settings.tlsKey().get());
      tls.update(m, settings.clientCa().map(Pem::certificates).orElse(null));
      metrics.tlsReload(true);
      LOG.info(
          "TLS certificate reloaded subject=\"{}\" notAfter={}",
          m.chain().get(0).getSubjectX500Principal().getName(),
          m.chain().get(0).getNotAfter().toInstant());
    } catch (RuntimeException e) {
      metrics.tlsReload(false);
      LOG.error(
          "TLS certificate reload rejected; the current one keeps serving: {}", e.getMessage());
    }
  }

  /** The HTTPS port bound. */
  public int port() {
    return https.getAddress().getPort();
  }

  /** The plain-HTTP metrics port bound, if any. */
  public Optional<Integer> metricsPort() {
    return plain == null ? Optional.empty() : Optional.of(plain.getAddress().getPort());
  }

  /** The effective settings. */
  public ServeSettings settings() {
    return settings;
  }

  /** Whether a configuration is loaded and the server is not stopping. */
  public boolean ready() {
    return !stopping && store.peek().isPresent();
  }

  /** The generated CA certificate in PEM, when no certificate was given. */
  public Optional<String> generatedCaPem() {
    return generated == null ? Optional.empty() : Optional.of(Pem.encode(List.of(generated.ca())));
  }

  /** The certificate chain served (leaf first). */
  public List<X509Certificate> certificateChain() {
    return tls.chain();
  }

  /** The generation of the configuration serving now (1 = the one loaded at startup). */
  public long generation() {
    return reloader.generation();
  }

  PolicyStore store() {
    return store;
  }

  WorkerPool pool() {
    return pool;
  }

  // ---------------------------------------------------------------------------------- requests

  private void handle(HttpExchange ex, boolean opsOnly) {
    long start = System.nanoTime();
    long id = ids.incrementAndGet();
    String path = ex.getRequestURI().getPath();
    Route route = Route.of(path);
    String endpoint = route == null ? "other" : route.label;
    RequestContext context = RequestContext.begin();
    int status = 500;
    Reviews.Answer answer = null;
    String message = null;
    boolean[] sent = {false};
    if (stopping) {
      // answered, but the client must not send more on this connection: it reconnects (to
      // another replica) instead of keeping this one busy through the grace period
      ex.getResponseHeaders().set("Connection", "close");
    }
    try {
      if (route == null || (opsOnly && !route.ops)) {
        throw HttpError.notFound(
            opsOnly
                ? "this port serves only " + METRICS + ", " + HEALTHZ + " and " + READYZ
                : "no such endpoint (POST "
                    + String.join(", ", AUTHENTICATE, AUTHORIZE, MUTATE, VALIDATE)
                    + ", "
                    + MUTATE
                    + "/NAME, "
                    + VALIDATE
                    + "/NAME; GET "
                    + String.join(", ", HEALTHZ, READYZ, METRICS)
                    + ")");
      }
      if (!route.method.equals(ex.getRequestMethod())) {
        ex.getResponseHeaders().set("Allow", route.method);
        throw new HttpError(
            405,
            "MethodNotAllowed",
            route.label + " accepts only " + route.method + ", not " + clip(ex.getRequestMethod()));
      }
      switch (route) {
        case HEALTHZ_ROUTE -> status = send(ex, 200, "text/plain; charset=utf-8", "ok\n", sent);
        case READYZ_ROUTE -> {
          if (ready()) {
            status = send(ex, 200, "text/plain; charset=utf-8", "ok\n", sent);
          } else {
            ex.getResponseHeaders().set("Retry-After", "1");
            status =
                send(
                    ex,
                    503,
                    "text/plain; charset=utf-8",
                    stopping ? "shutting down\n" : "loading modules\n",
                    sent);
          }
        }
        case METRICS_ROUTE -> status = send(ex, 200, PROMETHEUS_TEXT, metrics.scrape(), sent);
        default -> {
          answer = review(ex, route, path);
          status = send(ex, 200, JSON, answer.body(), sent);
        }
      }
    } catch (HttpError e) {
      status = e.status();
      message = e.getMessage();
      sendError(ex, e, sent);
    } catch (IOException e) {
      // the client went away (or broke the protocol) while we read or wrote
      status = sent[0] ? status : 499;
      message = "I/O error: " + e.getMessage();
    } catch (RuntimeException | StackOverflowError e) {
      status = 500;
      message = "internal error: " + e;
      LOG.error(
          "request id={} endpoint={} failed: {}", id, endpoint, Redaction.redact(e.toString()));
      LOG.debug("request id={} failure", id, e);
      sendError(
          ex, new HttpError(500, "InternalError", "internal error (request id " + id + ")"), sent);
    } finally {
      RequestContext.end();
      ex.close();
      long nanos = System.nanoTime() - start;
      metrics.request(endpoint, status, nanos);
      if (route == null || !route.ops) {
        log(id, endpoint, status, answer, context, nanos, message);
      }
    }
  }

  private Reviews.Answer review(HttpExchange ex, Route route, String path) throws IOException {
    if (WorkerPool.overloaded()) {
      metrics.rejected("overloaded");
      ex.getResponseHeaders().set("Retry-After", "1");
      ex.getResponseHeaders().set("Connection", "close");
      throw new HttpError(
          429, "TooManyRequests", "the server is busy (all workers and the queue are full)");
    }
    Optional<PolicyStore.Lease> lease = store.acquire();
    if (lease.isEmpty()) {
      metrics.rejected("not_ready");
      ex.getResponseHeaders().set("Retry-After", "1");
      throw new HttpError(503, "ServiceUnavailable", "no configuration is loaded yet");
    }
    try (PolicyStore.Lease l = lease.get()) {
      Policies p = l.policies();
      byte[] body = readBody(ex);
      return switch (route) {
        case AUTHENTICATE_ROUTE ->
            Reviews.authenticate(
                body,
                p.authenticator().orElseThrow(() -> notConfigured("authentication", AUTHENTICATE)));
        case AUTHORIZE_ROUTE ->
            Reviews.authorize(
                body, p.authorizer().orElseThrow(() -> notConfigured("authorization", AUTHORIZE)));
        case MUTATE_ROUTE ->
            Reviews.admit(body, p.mutators().orElseThrow(() -> notConfigured("admission", MUTATE)));
        case VALIDATE_ROUTE ->
            Reviews.admit(
                body, p.validators().orElseThrow(() -> notConfigured("admission", VALIDATE)));
        case MUTATE_ONE, VALIDATE_ONE -> Reviews.admit(body, single(p, route, path));
        default -> throw new IllegalStateException("not a review route: " + route);
      };
    }
  }

  private static AdmissionChain single(Policies p, Route route, String path) {
    String name = Route.module(path);
    boolean mutate = route == Route.MUTATE_ONE;
    Optional<AdmissionChain> chain = mutate ? p.mutator(name) : p.validator(name);
    if (chain.isPresent()) {
      return chain.get();
    }
    if (p.admission().isEmpty()) {
      throw notConfigured("admission", mutate ? MUTATE : VALIDATE);
    }
    if ((mutate ? p.validator(name) : p.mutator(name)).isPresent()) {
      throw HttpError.notFound(
          "module '"
              + clip(name)
              + "' is a "
              + (mutate ? "validating" : "mutating")
              + " module: use "
              + (mutate ? VALIDATE : MUTATE)
              + "/"
              + clip(name));
    }
    throw HttpError.notFound("no admission module named '" + clip(name) + "'");
  }

  private static HttpError notConfigured(String section, String endpoint) {
    return HttpError.notFound(
        endpoint + ": no " + section + " section in the server's configuration");
  }

  /** The body, at most maxRequestBytes; larger bodies are a 413. */
  private byte[] readBody(HttpExchange ex) throws IOException {
    long max = settings.maxRequestBytes();
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    InputStream in = ex.getRequestBody();
    if (length != null) {
      long n;
      try {
        n = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        throw HttpError.badRequest("invalid Content-Length");
      }
      if (n > max) {
        throw tooLarge(ex, in, n - max);
      }
    }
    byte[] body = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 16));
    if (body.length > max) {
      throw tooLarge(ex, in, DRAIN_LIMIT);
    }
    return body;
  }

  /**
   * A 413. A moderately larger body is read to its end first, so the client (which may still be
   * sending) gets the answer; a much larger one is not read, and the connection is closed.
   */
  private HttpError tooLarge(HttpExchange ex, InputStream in, long rest) throws IOException {
    boolean drained = rest <= DRAIN_LIMIT && drain(in, DRAIN_LIMIT);
    if (!drained) {
      ex.getResponseHeaders().set("Connection", "close");
    }
    return new HttpError(
        413,
        "RequestEntityTooLarge",
        "the request body is larger than the limit of " + settings.maxRequestBytes() + " bytes");
  }

  /**
   * Reads what is left of the request body before answering (an error may be answered without
   * reading it), so the client cannot send its next request on this connection while the server is
   * still reading the current one: the JDK server can then miss the next request's bytes already
   * decrypted from TLS, and the client waits forever. A large rest is not read; the connection is
   * closed instead.
   */
  private static void finishRequestBody(HttpExchange ex) {
    if ("close".equalsIgnoreCase(ex.getResponseHeaders().getFirst("Connection"))) {
      return;
    }
    try {
      if (!drain(ex.getRequestBody(), DRAIN_LIMIT)) {
        ex.getResponseHeaders().set("Connection", "close");
      }
    } catch (IOException e) {
      ex.getResponseHeaders().set("Connection", "close");
    }
  }

  /** Reads {@code in} to its end if that is at most {@code limit} bytes away. */
  private static boolean drain(InputStream in, long limit) throws IOException {
    byte[] buffer = new byte[8192];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      total += n;
      if (total > limit) {
        return false;
      }
    }
    return true;
  }

  private static int send(HttpExchange ex, int status, String type, String body, boolean[] sent)
      throws IOException {
    return send(ex, status, type, body.getBytes(StandardCharsets.UTF_8), sent);
  }

  private static int send(HttpExchange ex, int status, String type, byte[] body, boolean[] sent)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    finishRequestBody(ex);
    sent[0] = true;
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
    return status;
  }

  private static void sendError(HttpExchange ex, HttpError e, boolean[] sent) {
    if (sent[0]) {
      return;
    }
    ObjectNode status = JsonNodeFactory.instance.objectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", e.getMessage());
    status.put("reason", e.reason());
    status.put("code", e.status());
    try {
      send(ex, e.status(), JSON, Json.write(status), sent);
    } catch (IOException io) {
      // the client went away
    }
  }

  private void log(
      long id,
      String endpoint,
      int status,
      Reviews.Answer answer,
      RequestContext context,
      long nanos,
      String error) {
    try {
      accessLog.log(
          new AccessLog.Entry(
              id,
              answer == null ? null : answer.uid(),
              endpoint,
              status,
              answer == null ? null : answer.decision(),
              answer == null ? null : answer.user(),
              List.copyOf(context.evaluations()),
              nanos,
              error != null ? error : answer == null ? null : answer.message()));
    } catch (RuntimeException e) {
      LOG.warn("access log failed: {}", e.toString());
    }
  }

  private static String clip(String s) {
    if (s == null) {
      return "";
    }
    String one = s.replaceAll("[\\p{Cntrl}]", "?");
    return one.length() > 100 ? one.substring(0, 100) + "..." : one;
  }

  // ---------------------------------------------------------------------------------- shutdown

  /** Stops with the configured grace period. */
  @Override
  public void close() {
    shutdown(settings.gracePeriod());
  }

  /**
   * Stops gracefully: readiness turns false, the listening sockets close, requests in flight are
   * finished (for at most {@code grace}; requests still arriving on open connections are answered
   * with {@code Connection: close}), then connections and modules are closed.
   */
  public synchronized void shutdown(Duration grace) {
    if (stopped) {
      return;
    }
    stopped = true;
    stopping = true;
    long start = System.nanoTime();
    if (configWatcher != null) {
      configWatcher.close();
    }
    if (tlsWatcher != null) {
      tlsWatcher.close();
    }
    Thread closer = null;
    if (https != null) {
      // stop(n) closes the listening socket at once, then waits for exchanges; the second
      // stop(0) below ends that wait as soon as ours is over
      int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, grace.toSeconds() + 1));
      HttpsServer s = https;
      closer = new Thread(() -> s.stop(seconds), "k8s-wasm-stop");
      closer.setDaemon(true);
      closer.start();
    }
    boolean drained = true;
    try {
      drained = pool.awaitIdle(grace);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!drained) {
      LOG.warn(
          "shutdown: {} request(s) still in flight after the grace period of {}; closing",
          pool.pending(),
          grace);
    }
    if (https != null) {
      https.stop(0);
    }
    if (closer != null) {
      try {
        closer.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (plain != null) {
      plain.stop(0);
      plainExecutor.shutdownNow();
    }
    pool.shutdown();
    store.close();
    metrics.close();
    LOG.info(
        "stopped after {} ms{}",
        (System.nanoTime() - start) / 1_000_000,
        drained ? "" : " (grace period exceeded)");
  }
}
