package dev.k8swasm.server;

import dev.k8swasm.admission.NamespaceLabels;
import dev.k8swasm.authz.AuthorizationDecision;
import dev.k8swasm.authz.Authorizer;
import dev.k8swasm.config.ChainOptions;
import dev.k8swasm.config.ConfigException;
import dev.k8swasm.module.ModuleSpec;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook server for kube-apiserver, embeddable: HTTPS with HTTP/2 and HTTP/1.1 on Jetty,
 * admission control of evaluations, hot reload of the configuration, Prometheus metrics, health and
 * readiness, graceful shutdown.
 *
 * <pre>{@code
 * try (WebhookServer server = WebhookServer.builder(Path.of("server.yaml")).build().start()) {
 *   ... // serving on server.port()
 * }
 * }</pre>
 *
 * <p>Endpoints: {@code POST /authenticate} (TokenReview v1, v1beta1), {@code POST /authorize}
 * (SubjectAccessReview v1, v1beta1), {@code POST /mutate} and {@code POST /validate}
 * (AdmissionReview v1: the mutating resp. validating modules), {@code POST /mutate/NAME} and {@code
 * POST /validate/NAME} (one module), {@code GET /healthz}, {@code GET /readyz}, {@code GET
 * /metrics}. Errors are a {@code metav1.Status} JSON document with a reason, never a stack trace.
 *
 * <p>Thread-safe. {@link #start()} once; {@link #close()} stops it (with the grace period).
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

  /**
   * {@code POST}: AdmissionReview, {@code /validate_raw/ID}: a raw request ({@code {"request":
   * ...}}) for policy {@code ID} of a policy-server policies.yml, answered as policy-server does.
   */
  public static final String VALIDATE_RAW = "/validate_raw";

  /**
   * {@code POST}: AdmissionReview, {@code /audit/ID}: policy {@code ID} of a policy-server
   * policies.yml evaluated for a background scanner (never mutates), as policy-server does.
   */
  public static final String AUDIT = "/audit";

  /** {@code GET}: policy-server's readiness probe; answers as {@link #READYZ}. */
  public static final String READINESS = "/readiness";

  /** {@code GET}: liveness. */
  public static final String HEALTHZ = "/healthz";

  /** {@code GET}: readiness (a configuration is loaded and the server is not stopping). */
  public static final String READYZ = "/readyz";

  /** {@code GET}: Prometheus metrics. */
  public static final String METRICS = "/metrics";

  /** How to build a server; everything but the configuration file is optional. */
  public static final class Builder {
    private final Path config;
    private ServeSettings.Overrides overrides = ServeSettings.Overrides.none();
    private UnaryOperator<ModuleSpec.Builder> specCustomizer = UnaryOperator.identity();
    private UnaryOperator<ServerLimits.Builder> limits = UnaryOperator.identity();
    private AccessLog accessLog = AccessLog.slf4j();
    private boolean debug;
    private OpenTelemetry openTelemetry = OpenTelemetry.noop();
    private NamespaceLabels namespaceLabels;
    private ReadinessCheck readiness = ReadinessCheck.NONE;
    private String alwaysAcceptNamespace;
    private boolean continueOnPolicyErrors;

    private Builder(Path config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** Settings given on the command line, overriding the file's. */
    public Builder overrides(ServeSettings.Overrides overrides) {
      this.overrides = Objects.requireNonNull(overrides, "overrides");
      return this;
    }

    /** Applied to every module's spec (e.g. limits given on the command line). */
    public Builder specCustomizer(UnaryOperator<ModuleSpec.Builder> specCustomizer) {
      this.specCustomizer = Objects.requireNonNull(specCustomizer, "specCustomizer");
      return this;
    }

    /** Changes limits after the defaults and the configuration file's {@code limits}. */
    public Builder limits(UnaryOperator<ServerLimits.Builder> limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** Where request lines go (default: SLF4J logger {@code dev.k8swasm.server.access}). */
    public Builder accessLog(AccessLog accessLog) {
      this.accessLog = Objects.requireNonNull(accessLog, "accessLog");
      return this;
    }

    /**
     * Where spans and metrics go: one span per review request and one per module evaluation, and
     * policy-server's {@code kubewarden_*} metrics (default: {@link OpenTelemetry#noop()}, nothing
     * recorded).
     */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /**
     * Where namespace labels come from (e.g. a cluster's informer cache): with it, the server
     * applies modules' {@code namespaceSelector}s itself on {@code /mutate} and {@code /validate}
     * (without it they are left to kube-apiserver).
     */
    public Builder namespaceLabels(NamespaceLabels namespaceLabels) {
      this.namespaceLabels = Objects.requireNonNull(namespaceLabels, "namespaceLabels");
      return this;
    }

    /**
     * What else must be ready before the server is (e.g. a cluster's caches): readiness is false,
     * and the probes answer 503 with its reason, while it is not.
     */
    public Builder readiness(ReadinessCheck readiness) {
      this.readiness = Objects.requireNonNull(readiness, "readiness");
      return this;
    }

    /**
     * The namespace whose AdmissionReviews the policies of a policies.yml always accept, as
     * policy-server's {@code --always-accept-admission-reviews-on-namespace} (Kubewarden's own
     * namespace, so that no policy can lock its components out): on {@code /validate/ID} and {@code
     * /audit/ID} a request in it is answered {@code allowed: true} without evaluating the policy
     * (and counted as accepted); {@code /validate_raw/ID} is not affected. Our own admission
     * modules ({@code /validate}, {@code /mutate}) use their rules and namespaceSelector instead.
     * Default: none.
     */
    public Builder alwaysAcceptAdmissionReviewsOnNamespace(String namespace) {
      Objects.requireNonNull(namespace, "namespace");
      if (namespace.isBlank()) {
        throw new IllegalArgumentException("the always-accepted namespace must not be blank");
      }
      this.alwaysAcceptNamespace = namespace;
      return this;
    }

    /**
     * Whether module output (stderr) is sent to clients in failure messages too (default: false; it
     * is logged at debug level only).
     */
    public Builder debug(boolean debug) {
      this.debug = debug;
      return this;
    }

    /**
     * Kubewarden policy-server's {@code --continue-on-errors} (default: false). When true, a policy
     * of the configuration's policies.yml, or a member of one of its policy groups, that fails to
     * initialize (its module cannot be fetched, loaded or compiled, or its {@code
     * validate_settings} refuses its settings) does not stop the server or a reload: it is logged
     * (one ERROR line each), the other policies are served, and every request to the failed policy
     * (or to the group) on {@link WebhookServer#VALIDATE}{@code /ID}, {@link
     * WebhookServer#VALIDATE_RAW}{@code /ID} and {@link WebhookServer#AUDIT}{@code /ID} is answered
     * with {@code allowed: false} and a status with the initialization error and code 500. For the
     * generated webhook configuration, see {@link KubeConfigs#write(Path, KubeConfigs.Target,
     * String, boolean, UnaryOperator, boolean, Path)}. A policies.yml that cannot be read (YAML,
     * unknown fields, a group expression that does not compile...) and the server's own modules are
     * still refused whole. Applies at start and on every reload.
     */
    public Builder continueOnPolicyErrors(boolean continueOnPolicyErrors) {
      this.continueOnPolicyErrors = continueOnPolicyErrors;
      return this;
    }

    /**
     * Reads the configuration file and checks the settings; nothing is bound or loaded yet.
     *
     * @throws ConfigException when the configuration is invalid
     * @throws IllegalArgumentException when a setting or a TLS file is invalid
     */
    public WebhookServer build() {
      ServerLimits defaults = ServerLimits.defaults(1, 1);
      ServerLimits early = limits.apply(defaults.toBuilder()).build();
      ServerConfig file = ServerConfig.read(config, early.maxConfigBytes(), early.maxModuleBytes());
      ServeSettings settings = ServeSettings.resolve(file.settings(), overrides, limits);
      return new WebhookServer(file, settings, this);
    }
  }

  private final ServerConfig config;
  private final ServeSettings settings;
  private final ReadinessCheck readiness;
  private final ServerMetrics metrics = new ServerMetrics();
  private final PolicyStore store = new PolicyStore();
  private final TlsReloader tls;
  private final Admission admission;
  private final Reloader reloader;
  private final HttpFront front;
  private final Dispatcher dispatcher;
  private FileWatcher configWatcher;
  private volatile boolean stopping;
  private boolean started;
  private boolean stopped;

  private WebhookServer(ServerConfig config, ServeSettings settings, Builder b) {
    this.config = config;
    this.settings = settings;
    this.tls = new TlsReloader(settings, metrics);
    this.admission = new Admission(settings.workers(), settings.queueSize(), settings.limits());
    ServerTracing tracing = new ServerTracing(b.openTelemetry);
    ChainOptions.Builder options =
        ChainOptions.builder()
            .listener(
                e -> {
                  metrics.onEvaluation(e);
                  tracing.onEvaluation(e);
                })
            .specCustomizer(b.specCustomizer)
            .cacheListener(metrics);
    if (b.namespaceLabels != null) {
      options.namespaceLabels(b.namespaceLabels);
    }
    ChainOptions chainOptions = options.build();
    this.readiness = b.readiness;
    this.reloader =
        new Reloader(
            config.file(),
            chainOptions,
            store,
            metrics,
            settings.limits(),
            b.continueOnPolicyErrors);
    this.front = new HttpFront(settings, tls.tls(), metrics);
    this.dispatcher =
        new Dispatcher(
            store,
            metrics,
            b.accessLog,
            new BodyReader(settings.maxRequestBytes(), settings.limits().bodyTimeout()),
            admission,
            new Evaluator(
                b.debug,
                new PolicyServerMetrics(metrics.registry(), b.openTelemetry),
                b.alwaysAcceptNamespace),
            tracing,
            settings.limits(),
            () -> stopping,
            front.guard(),
            b.readiness);
    metrics.gauge("k8swasm.ready", "1 when ready to serve", () -> ready() ? 1 : 0);
    metrics.gauge(
        "k8swasm.config.generation",
        "The configuration generation serving (1 = loaded at startup)",
        () -> store.peek().map(Policies::generation).orElse(0L));
    metrics.gauge(
        "k8swasm.config.watcher.alive",
        "1 while the configuration file watcher runs (0 when watching is off or it died)",
        () -> configWatcher != null && configWatcher.alive() ? 1 : 0);
    metrics.gauge(
        "k8swasm.http.inflight",
        "Requests accepted for evaluation, not yet answered",
        admission::pending);
    metrics.gauge("k8swasm.http.queued", "Requests waiting for a worker", admission::queued);
  }

  /** A builder for the server configured in {@code config}. */
  public static Builder builder(Path config) {
    return new Builder(config);
  }

  /**
   * Starts the server: binds the ports (so {@code /healthz} answers while modules load), loads
   * every module, then watches the files.
   *
   * @return this server
   * @throws ConfigException when a module cannot be loaded
   * @throws IOException when a port cannot be bound
   * @throws IllegalStateException when already started
   */
  public synchronized WebhookServer start() throws IOException {
    if (started) {
      throw new IllegalStateException("the server was started already");
    }
    started = true;
    try {
      front.start(dispatcher);
      LOG.info(
          "listening on https://{}:{}{} (HTTP/2, HTTP/1.1) workers={} queue={}"
              + " maxRequestBytes={} tls={}",
          settings.address(),
          port(),
          metricsPort().map(p -> " metrics on http://" + settings.address() + ":" + p).orElse(""),
          settings.workers(),
          settings.queueSize(),
          settings.maxRequestBytes(),
          tls.tls().mutual() ? "mutual" : "server-only");
      if (settings.watch()) {
        Duration debounce = Duration.ofMillis(100);
        configWatcher =
            new FileWatcher(
                "config", reloader::files, reloader::check, settings.reloadInterval(), debounce);
        tls.watch(debounce);
      }
      reloader.loadInitial(config);
      return this;
    } catch (IOException | RuntimeException e) {
      shutdown(Duration.ZERO);
      throw e;
    }
  }

  /** The HTTPS port bound. */
  public int port() {
    return front.port();
  }

  /** The plain-HTTP probe and metrics port bound, if any. */
  public Optional<Integer> metricsPort() {
    return front.metricsPort();
  }

  /** The effective settings. */
  public ServeSettings settings() {
    return settings;
  }

  /**
   * Whether a configuration is loaded, the server is not stopping and its {@link Builder#readiness}
   * check passes.
   */
  public boolean ready() {
    return !stopping && store.peek().isPresent() && readiness.notReady().isEmpty();
  }

  /** The generated CA certificate in PEM, when no certificate was given. */
  public Optional<String> generatedCaPem() {
    return tls.generatedCaPem();
  }

  /** The certificate chain served (leaf first). */
  public List<X509Certificate> certificateChain() {
    return tls.tls().chain();
  }

  /**
   * An {@link Authorizer} that answers with the authorization modules of the configuration in force
   * at each call (reloads included), as {@code /authorize} does, without HTTP: for example for
   * Kubewarden policies' {@code kubernetes/can_i} in a server that is its own authorizer. No
   * opinion before the first configuration is loaded or when it has no authorization section.
   */
  public Authorizer authorizer() {
    return review -> {
      Objects.requireNonNull(review, "review");
      Optional<PolicyStore.Lease> lease = store.acquire();
      if (lease.isEmpty()) {
        return AuthorizationDecision.noOpinion("the server has not loaded its configuration yet");
      }
      try (PolicyStore.Lease l = lease.get()) {
        return l.policies()
            .authorizer()
            .map(chain -> chain.authorize(review))
            .orElseGet(
                () ->
                    AuthorizationDecision.noOpinion(
                        "the server's configuration has no authorization section"));
      }
    };
  }

  /** The generation of the configuration serving now (1 = the one loaded at startup). */
  public long generation() {
    return reloader.generation();
  }

  PolicyStore store() {
    return store;
  }

  Admission admission() {
    return admission;
  }

  /** Stops with the configured grace period. */
  @Override
  public void close() {
    shutdown(settings.gracePeriod());
  }

  /**
   * Stops gracefully: readiness turns false, the listening sockets close, requests in flight are
   * finished (for at most {@code grace}; requests still arriving on open connections are answered
   * and asked to close the connection), then connections and modules are closed.
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
    tls.close();
    front.stopAccepting();
    boolean drained = true;
    try {
      drained = admission.awaitIdle(grace);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!drained) {
      LOG.warn(
          "shutdown: {} request(s) still in flight after the grace period of {}; closing",
          admission.pending(),
          grace);
    }
    front.close();
    admission.close();
    store.close();
    metrics.close();
    LOG.info(
        "stopped after {} ms{}",
        (System.nanoTime() - start) / 1_000_000,
        drained ? "" : " (grace period exceeded)");
  }
}
