package dev.k8swasm.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The server's effective settings: defaults, overridden by the keys of the configuration file,
 * overridden by command-line flags ({@link #resolve}).
 */
public final class ServeSettings {
  private final String address;
  private final int port;
  private final Integer metricsPort;
  private final Path tlsCert;
  private final Path tlsKey;
  private final List<Path> clientCas;
  private final List<String> tlsNames;
  private final long maxRequestBytes;
  private final int workers;
  private final int queueSize;
  private final Duration gracePeriod;
  private final Duration reloadInterval;
  private final boolean watch;
  private final ServerLimits limits;

  ServeSettings(
      String address,
      int port,
      Optional<Integer> metricsPort,
      Optional<Path> tlsCert,
      Optional<Path> tlsKey,
      List<Path> clientCas,
      List<String> tlsNames,
      long maxRequestBytes,
      int workers,
      int queueSize,
      Duration gracePeriod,
      Duration reloadInterval,
      boolean watch,
      ServerLimits limits) {
    tlsNames = List.copyOf(tlsNames);
    java.util.Objects.requireNonNull(limits, "limits");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    metricsPort.ifPresent(
        p -> {
          if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("metricsPort must be 0..65535, got " + p);
          }
        });
    if (tlsCert.isPresent() != tlsKey.isPresent()) {
      throw new IllegalArgumentException(
          "give both a TLS certificate and its key (--tls-cert and --tls-key), or neither");
    }
    if (maxRequestBytes <= 0) {
      throw new IllegalArgumentException("maxRequestBytes must be positive");
    }
    if (workers <= 0) {
      throw new IllegalArgumentException("workers must be positive, got " + workers);
    }
    if (queueSize < 0) {
      throw new IllegalArgumentException("queueSize must not be negative, got " + queueSize);
    }
    if (gracePeriod.isNegative()) {
      throw new IllegalArgumentException("gracePeriod must not be negative");
    }
    if (reloadInterval.isNegative() || reloadInterval.isZero()) {
      throw new IllegalArgumentException("reloadInterval must be positive");
    }
    this.address = address;
    this.port = port;
    this.metricsPort = metricsPort.orElse(null);
    this.tlsCert = tlsCert.orElse(null);
    this.tlsKey = tlsKey.orElse(null);
    this.clientCas = List.copyOf(clientCas);
    this.tlsNames = tlsNames;
    this.maxRequestBytes = maxRequestBytes;
    this.workers = workers;
    this.queueSize = queueSize;
    this.gracePeriod = gracePeriod;
    this.reloadInterval = reloadInterval;
    this.watch = watch;
    this.limits = limits;
  }

  /** The address to listen on. */
  public String address() {
    return address;
  }

  /** The HTTPS port (0 = any free port). */
  public int port() {
    return port;
  }

  /** A plain-HTTP port serving only /metrics, /healthz and /readyz, if set. */
  public Optional<Integer> metricsPort() {
    return Optional.ofNullable(metricsPort);
  }

  /** The PEM certificate chain, if given (else a self-signed pair is generated). */
  public Optional<Path> tlsCert() {
    return Optional.ofNullable(tlsCert);
  }

  /** The PEM private key of {@code tlsCert}. */
  public Optional<Path> tlsKey() {
    return Optional.ofNullable(tlsKey);
  }

  /**
   * The PEM files of the CAs client certificates must be signed by (mutual TLS); empty: no client
   * certificates are asked for.
   */
  public List<Path> clientCas() {
    return clientCas;
  }

  /** Extra subject alternative names of a generated certificate. */
  public List<String> tlsNames() {
    return tlsNames;
  }

  /** The largest request body accepted (413 above). */
  public long maxRequestBytes() {
    return maxRequestBytes;
  }

  /** The worker threads evaluating requests. */
  public int workers() {
    return workers;
  }

  /** The requests that may wait for a worker before the server answers 429. */
  public int queueSize() {
    return queueSize;
  }

  /** How long shutdown waits for in-flight requests. */
  public Duration gracePeriod() {
    return gracePeriod;
  }

  /** How often watched files are checked when no file event arrives. */
  public Duration reloadInterval() {
    return reloadInterval;
  }

  /** Whether the configuration and module files are watched for changes. */
  public boolean watch() {
    return watch;
  }

  /** Connection, timeout, admission and file size limits. */
  public ServerLimits limits() {
    return limits;
  }

  /** The default HTTPS port. */
  public static final int DEFAULT_PORT = 8443;

  /** The default request size limit: two 3 MiB objects (object and oldObject) and the envelope. */
  public static final long DEFAULT_MAX_REQUEST_BYTES = 8L << 20;

  /** The default grace period of a shutdown. */
  public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(20);

  /** The default interval of the fallback file check. */
  public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(2);

  /** Checks every setting. */

  /** The default number of workers: twice the processors, at least 4 (evaluation is CPU-bound). */
  public static int defaultWorkers() {
    return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
  }

  /** The default queue: 16 requests per worker, at least 64. */
  public static int defaultQueueSize(int workers) {
    return Math.max(64, 16 * workers);
  }

  /**
   * Values given on the command line; null = not given. Paths are as given (relative to the working
   * directory).
   */
  public record Overrides(
      String address,
      Integer port,
      Integer metricsPort,
      Path tlsCert,
      Path tlsKey,
      List<Path> clientCas,
      List<String> tlsNames,
      Long maxRequestBytes,
      Integer workers,
      Integer queueSize,
      Duration gracePeriod,
      Duration reloadInterval,
      Boolean watch) {

    /** Nothing overridden. */
    public static Overrides none() {
      return new Overrides(
          null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
  }

  /**
   * The settings of the configuration file {@code config} with {@code flags} applied over them.
   *
   * @throws dev.k8swasm.config.ConfigException when the file is invalid
   * @throws IllegalArgumentException when a setting is invalid
   */
  public static ServeSettings read(Path config, Overrides flags) {
    return resolve(ServerConfig.read(config).settings(), flags);
  }

  /** The settings of {@code file} with {@code flags} applied over them. */
  static ServeSettings resolve(ServerConfig.FileSettings file, Overrides flags) {
    return resolve(file, flags, java.util.function.UnaryOperator.identity());
  }

  /** The settings of {@code file} with {@code flags} and then {@code limits} applied over them. */
  static ServeSettings resolve(
      ServerConfig.FileSettings file,
      Overrides flags,
      java.util.function.UnaryOperator<ServerLimits.Builder> limits) {
    int workers = first(flags.workers(), file.workers(), defaultWorkers());
    int queueSize = first(flags.queueSize(), file.queueSize(), defaultQueueSize(workers));
    ServerLimits.Builder b = ServerLimits.defaults(workers, queueSize).toBuilder();
    LimitsConfig.apply(file.limits(), b);
    return new ServeSettings(
        first(flags.address(), file.address(), "0.0.0.0"),
        first(flags.port(), file.port(), DEFAULT_PORT),
        Optional.ofNullable(first(flags.metricsPort(), file.metricsPort(), null)),
        Optional.ofNullable(first(flags.tlsCert(), file.tlsCert(), null)),
        Optional.ofNullable(first(flags.tlsKey(), file.tlsKey(), null)),
        first(
            flags.clientCas(),
            file.clientCa() == null ? null : List.of(file.clientCa()),
            List.<Path>of()),
        flags.tlsNames() != null ? flags.tlsNames() : file.tlsNames(),
        first(flags.maxRequestBytes(), file.maxRequestBytes(), DEFAULT_MAX_REQUEST_BYTES),
        workers,
        queueSize,
        first(flags.gracePeriod(), file.gracePeriod(), DEFAULT_GRACE_PERIOD),
        first(flags.reloadInterval(), file.reloadInterval(), DEFAULT_RELOAD_INTERVAL),
        first(flags.watch(), file.watch(), true),
        limits.apply(b).build());
  }

  private static <T> T first(T flag, T file, T fallback) {
    return flag != null ? flag : file != null ? file : fallback;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ServeSettings o
        && Objects.equals(address, o.address)
        && port == o.port
        && Objects.equals(metricsPort, o.metricsPort)
        && Objects.equals(tlsCert, o.tlsCert)
        && Objects.equals(tlsKey, o.tlsKey)
        && Objects.equals(clientCas, o.clientCas)
        && Objects.equals(tlsNames, o.tlsNames)
        && maxRequestBytes == o.maxRequestBytes
        && workers == o.workers
        && queueSize == o.queueSize
        && Objects.equals(gracePeriod, o.gracePeriod)
        && Objects.equals(reloadInterval, o.reloadInterval)
        && watch == o.watch
        && Objects.equals(limits, o.limits);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        address,
        port,
        metricsPort,
        tlsCert,
        tlsKey,
        clientCas,
        tlsNames,
        maxRequestBytes,
        workers,
        queueSize,
        gracePeriod,
        reloadInterval,
        watch,
        limits);
  }

  @Override
  public String toString() {
    return "ServeSettings[address="
        + address
        + ", port="
        + port
        + ", metricsPort="
        + metricsPort
        + ", tlsCert="
        + tlsCert
        + ", tlsKey="
        + tlsKey
        + ", clientCas="
        + clientCas
        + ", tlsNames="
        + tlsNames
        + ", maxRequestBytes="
        + maxRequestBytes
        + ", workers="
        + workers
        + ", queueSize="
        + queueSize
        + ", gracePeriod="
        + gracePeriod
        + ", reloadInterval="
        + reloadInterval
        + ", watch="
        + watch
        + ", limits="
        + limits
        + "]";
  }
}
