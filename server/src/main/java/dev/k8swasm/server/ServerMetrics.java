package dev.k8swasm.server;

import dev.k8swasm.module.ReviewKind;
import dev.k8swasm.observe.CacheEvent;
import dev.k8swasm.observe.DecisionCacheListener;
import dev.k8swasm.observe.Evaluation;
import dev.k8swasm.observe.EvaluationListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The server's metrics, in Prometheus text format via Micrometer:
 *
 * <ul>
 *   <li>{@code k8swasm_evaluations_total{module,kind,decision}}: module evaluations;
 *   <li>{@code k8swasm_evaluation_duration_seconds{module,kind,decision}}: their latency
 *       (histogram);
 *   <li>{@code k8swasm_evaluation_failures_total{module,kind,reason}}: module failures by reason
 *       (TIMEOUT, TRAP, BAD_OUTPUT...), whatever the failure policy made of them;
 *   <li>{@code k8swasm_decision_cache_requests_total{kind,result}}: lookups in the decision caches
 *       of authentication and authorization ({@code result} {@code hit} or {@code miss}), and
 *       {@code k8swasm_decision_cache_evictions_total{kind,cause}}: decisions dropped ({@code
 *       cause} {@code size} or {@code expired}); only for configurations with {@code cache:};
 *   <li>{@code k8swasm_http_requests_seconds{endpoint,code}}: HTTP requests and their latency;
 *   <li>{@code k8swasm_http_rejected_total{reason}}: requests refused by back-pressure ({@code
 *       overloaded}) or because no configuration is loaded ({@code not_ready});
 *   <li>{@code k8swasm_reloads_total}, {@code k8swasm_reloads_failed_total}: configuration reloads
 *       attempted and rejected; {@code k8swasm_config_last_reload_successful}; {@code
 *       k8swasm_config_generation};
 *   <li>{@code k8swasm_config_last_successful_load_timestamp_seconds}: when the configuration
 *       serving was loaded; {@code k8swasm_config_watcher_alive}: 1 while the file watcher runs;
 *   <li>{@code k8swasm_tls_reloads_total{result}}: certificate reloads;
 *   <li>{@code k8swasm_http_connections}, {@code k8swasm_http_connections_closed_total{reason}}:
 *       open connections, and connections closed by a limit;
 *   <li>JVM memory, GC, threads, CPU and uptime.
 * </ul>
 *
 * <p>It is also the {@link EvaluationListener} of every chain, and records each evaluation into the
 * current request's {@link RequestContext} for the access log, and the {@link
 * DecisionCacheListener} of every decision cache.
 */
final class ServerMetrics implements EvaluationListener, DecisionCacheListener, AutoCloseable {
  private static final Duration[] BUCKETS = {
    Duration.ofNanos(250_000),
    Duration.ofNanos(500_000),
    Duration.ofMillis(1),
    Duration.ofNanos(2_500_000),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10)
  };

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<EvalKey, EvalMeters> evaluations = new ConcurrentHashMap<>();
  private final Map<String, Counter> failures = new ConcurrentHashMap<>();
  private final Map<String, Timer> http = new ConcurrentHashMap<>();
  private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
  private final Map<String, Counter> cache = new ConcurrentHashMap<>();
  private final Counter reloads;
  private final Counter reloadsFailed;
  private volatile int lastReloadSuccessful = 1;
  private volatile double lastSuccessfulReload;
  private final JvmGcMetrics gc = new JvmGcMetrics();

  private record EvalKey(String module, ReviewKind kind, String decision) {}

  private record EvalMeters(Counter count, Timer latency) {}

  ServerMetrics() {
    reloads =
        Counter.builder("k8swasm.reloads")
            .description("Configuration reloads attempted (file changes)")
            .register(registry);
    reloadsFailed =
        Counter.builder("k8swasm.reloads.failed")
            .description("Configuration reloads rejected; the previous configuration kept serving")
            .register(registry);
    Gauge.builder("k8swasm.config.last.reload.successful", () -> lastReloadSuccessful)
        .description("1 when the last configuration reload succeeded (or none was needed)")
        .register(registry);
    Gauge.builder(
            "k8swasm.config.last.successful.load.timestamp.seconds", () -> lastSuccessfulReload)
        .description("When the configuration serving now was loaded (Unix time, seconds)")
        .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc.bindTo(registry);
  }

  /** The registry, for more meters. */
  PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Registers a gauge reading {@code value}. */
  void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  @Override
  public void onEvaluation(Evaluation e) {
    EvalMeters m =
        evaluations.computeIfAbsent(
            new EvalKey(e.module(), e.kind(), e.decisionLabel()), this::evaluationMeters);
    m.count().increment();
    m.latency().record(e.duration());
    e.failure()
        .ifPresent(
            reason ->
                failures
                    .computeIfAbsent(
                        e.module() + '\0' + e.kind() + '\0' + reason,
                        k ->
                            Counter.builder("k8swasm.evaluation.failures")
                                .description("Module failures by reason")
                                .tag("module", e.module())
                                .tag("kind", kind(e.kind()))
                                .tag("reason", reason.name())
                                .register(registry))
                    .increment());
    RequestContext.record(e);
  }

  private EvalMeters evaluationMeters(EvalKey k) {
    Counter count =
        Counter.builder("k8swasm.evaluations")
            .description("Module evaluations")
            .tag("module", k.module())
            .tag("kind", kind(k.kind()))
            .tag("decision", k.decision())
            .register(registry);
    Timer latency =
        Timer.builder("k8swasm.evaluation.duration")
            .description("Latency of module evaluations")
            .tag("module", k.module())
            .tag("kind", kind(k.kind()))
            .tag("decision", k.decision())
            .serviceLevelObjectives(BUCKETS)
            .register(registry);
    return new EvalMeters(count, latency);
  }

  @Override
  public void onCacheEvent(ReviewKind kind, CacheEvent event) {
    cache
        .computeIfAbsent(kind.name() + ' ' + event.name(), k -> cacheCounter(kind, event))
        .increment();
  }

  private Counter cacheCounter(ReviewKind kind, CacheEvent event) {
    return switch (event) {
      case HIT, MISS ->
          Counter.builder("k8swasm.decision.cache.requests")
              .description("Lookups in the decision caches: hit (answered from the cache) or miss")
              .tag("kind", kind(kind))
              .tag("result", event.label())
              .register(registry);
      case SHARED ->
          Counter.builder("k8swasm.decision.cache.shared")
              .description(
                  "Decision cache misses answered by the evaluation of an equal review already"
                      + " running (its modules asked once for all)")
              .tag("kind", kind(kind))
              .register(registry);
      case EVICTED, EXPIRED ->
          Counter.builder("k8swasm.decision.cache.evictions")
              .description(
                  "Decisions dropped from the decision caches: size (least recently used) or"
                      + " expired")
              .tag("kind", kind(kind))
              .tag("cause", event == CacheEvent.EVICTED ? "size" : "expired")
              .register(registry);
    };
  }

  /** The {@code kind} label: {@code authentication}, {@code authorization} or {@code admission}. */
  static String kind(ReviewKind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  /** One HTTP request answered. */
  void request(String endpoint, int code, long nanos) {
    http.computeIfAbsent(
            endpoint + ' ' + code,
            k ->
                Timer.builder("k8swasm.http.requests")
                    .description("HTTP requests by endpoint and status code")
                    .tag("endpoint", endpoint)
                    .tag("code", Integer.toString(code))
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** One request refused without evaluation. */
  void rejected(String reason) {
    rejected
        .computeIfAbsent(
            reason,
            r ->
                Counter.builder("k8swasm.http.rejected")
                    .description(
                        "Requests refused or dropped unevaluated: overloaded (429), deadline (503), not_ready (503), client_gone (499)")
                    .tag("reason", r)
                    .register(registry))
        .increment();
  }

  /** A connection closed by a limit ({@code client_limit}, {@code slow_handshake_or_headers}). */
  void connectionClosed(String reason) {
    Counter.builder("k8swasm.http.connections.closed")
        .description("Connections closed by a limit")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  /** A configuration reload attempt and its outcome. */
  void reload(boolean success) {
    reloads.increment();
    if (!success) {
      reloadsFailed.increment();
    }
    lastReloadSuccessful = success ? 1 : 0;
    if (success) {
      lastSuccessfulReload = System.currentTimeMillis() / 1000.0;
    }
  }

  /** The configuration was loaded at start-up. */
  void loaded() {
    lastSuccessfulReload = System.currentTimeMillis() / 1000.0;
  }

  /** A certificate reload and its outcome. */
  void tlsReload(boolean success) {
    Counter.builder("k8swasm.tls.reloads")
        .description("TLS certificate reloads")
        .tag("result", success ? "success" : "failure")
        .register(registry)
        .increment();
  }

  /** The Prometheus text exposition. */
  String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
