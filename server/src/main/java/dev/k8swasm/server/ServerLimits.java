package dev.k8swasm.server;

import java.time.Duration;
import java.util.Objects;

/**
 * The server's hardening limits: connections, timeouts, admission control of evaluations, and the
 * sizes of configuration files. Every limit has a default ({@link #defaults(int, int)}); the
 * configuration file's keys of the same name and {@link WebhookServer.Builder#limits} override
 * them.
 *
 * @param maxConnections open connections over both ports; more are not accepted until some close
 * @param maxConnectionsPerClient open connections from one IP address; more are closed at once
 * @param idleTimeout a connection without any traffic for this long is closed
 * @param handshakeTimeout a new connection must complete its TLS handshake and the headers of its
 *     first request within this time, else it is closed (slow-loris clients)
 * @param bodyTimeout a request body must arrive completely within this time (408 otherwise)
 * @param maxHeaderBytes the largest request header block (431 above)
 * @param ioThreads the threads of the HTTP front (TLS, parsing, probes, metrics); never used for
 *     evaluations
 * @param maxStreamsPerConnection concurrent HTTP/2 streams per connection
 * @param moduleConcurrency evaluations of one endpoint or module that may run at once, so a slow
 *     module cannot take every worker
 * @param moduleQueueSize requests of one endpoint or module that may wait for a worker (429 above)
 * @param authenticationWorkers threads evaluating TokenReviews only, so authentication never waits
 *     behind admission or authorization
 * @param queueTimeout how long a request may wait for a worker when kube-apiserver does not send
 *     {@code ?timeout=} (503 with {@code Retry-After} after that)
 * @param retryAfter the {@code Retry-After} sent with 429 and 503
 * @param maxConfigBytes the largest configuration file read (refused before reading)
 * @param maxModuleBytes the largest module file loaded (refused before reading)
 */
public record ServerLimits(
    int maxConnections,
    int maxConnectionsPerClient,
    Duration idleTimeout,
    Duration handshakeTimeout,
    Duration bodyTimeout,
    int maxHeaderBytes,
    int ioThreads,
    int maxStreamsPerConnection,
    int moduleConcurrency,
    int moduleQueueSize,
    int authenticationWorkers,
    Duration queueTimeout,
    Duration retryAfter,
    long maxConfigBytes,
    long maxModuleBytes) {

  /** Checks every limit is positive. */
  public ServerLimits {
    positive("maxConnections", maxConnections);
    positive("maxConnectionsPerClient", maxConnectionsPerClient);
    positive("idleTimeout", idleTimeout);
    positive("handshakeTimeout", handshakeTimeout);
    positive("bodyTimeout", bodyTimeout);
    positive("maxHeaderBytes", maxHeaderBytes);
    if (ioThreads < 4) {
      throw new IllegalArgumentException("ioThreads must be at least 4, got " + ioThreads);
    }
    positive("maxStreamsPerConnection", maxStreamsPerConnection);
    positive("moduleConcurrency", moduleConcurrency);
    if (moduleQueueSize < 0) {
      throw new IllegalArgumentException("moduleQueueSize must not be negative");
    }
    positive("authenticationWorkers", authenticationWorkers);
    positive("queueTimeout", queueTimeout);
    positive("retryAfter", retryAfter);
    positive("maxConfigBytes", maxConfigBytes);
    positive("maxModuleBytes", maxModuleBytes);
  }

  /** The defaults for {@code workers} evaluation threads and a queue of {@code queueSize}. */
  public static ServerLimits defaults(int workers, int queueSize) {
    return new ServerLimits(
        1024,
        256,
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        Duration.ofSeconds(10),
        16 * 1024,
        16,
        128,
        Math.max(1, workers / 2),
        Math.max(4, queueSize / 4),
        Math.max(2, workers / 2),
        Duration.ofSeconds(10),
        Duration.ofSeconds(1),
        4L << 20,
        128L << 20);
  }

  /** A builder starting from these limits. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }

  private static void positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }

  /** Changes some limits; see the components of {@link ServerLimits}. */
  public static final class Builder {
    private int maxConnections;
    private int maxConnectionsPerClient;
    private Duration idleTimeout;
    private Duration handshakeTimeout;
    private Duration bodyTimeout;
    private int maxHeaderBytes;
    private int ioThreads;
    private int maxStreamsPerConnection;
    private int moduleConcurrency;
    private int moduleQueueSize;
    private int authenticationWorkers;
    private Duration queueTimeout;
    private Duration retryAfter;
    private long maxConfigBytes;
    private long maxModuleBytes;

    private Builder(ServerLimits l) {
      maxConnections = l.maxConnections;
      maxConnectionsPerClient = l.maxConnectionsPerClient;
      idleTimeout = l.idleTimeout;
      handshakeTimeout = l.handshakeTimeout;
      bodyTimeout = l.bodyTimeout;
      maxHeaderBytes = l.maxHeaderBytes;
      ioThreads = l.ioThreads;
      maxStreamsPerConnection = l.maxStreamsPerConnection;
      moduleConcurrency = l.moduleConcurrency;
      moduleQueueSize = l.moduleQueueSize;
      authenticationWorkers = l.authenticationWorkers;
      queueTimeout = l.queueTimeout;
      retryAfter = l.retryAfter;
      maxConfigBytes = l.maxConfigBytes;
      maxModuleBytes = l.maxModuleBytes;
    }

    /** See {@link ServerLimits#maxConnections()}. */
    public Builder maxConnections(int v) {
      maxConnections = v;
      return this;
    }

    /** See {@link ServerLimits#maxConnectionsPerClient()}. */
    public Builder maxConnectionsPerClient(int v) {
      maxConnectionsPerClient = v;
      return this;
    }

    /** See {@link ServerLimits#idleTimeout()}. */
    public Builder idleTimeout(Duration v) {
      idleTimeout = v;
      return this;
    }

    /** See {@link ServerLimits#handshakeTimeout()}. */
    public Builder handshakeTimeout(Duration v) {
      handshakeTimeout = v;
      return this;
    }

    /** See {@link ServerLimits#bodyTimeout()}. */
    public Builder bodyTimeout(Duration v) {
      bodyTimeout = v;
      return this;
    }

    /** See {@link ServerLimits#maxHeaderBytes()}. */
    public Builder maxHeaderBytes(int v) {
      maxHeaderBytes = v;
      return this;
    }

    /** See {@link ServerLimits#ioThreads()}. */
    public Builder ioThreads(int v) {
      ioThreads = v;
      return this;
    }

    /** See {@link ServerLimits#maxStreamsPerConnection()}. */
    public Builder maxStreamsPerConnection(int v) {
      maxStreamsPerConnection = v;
      return this;
    }

    /** See {@link ServerLimits#moduleConcurrency()}. */
    public Builder moduleConcurrency(int v) {
      moduleConcurrency = v;
      return this;
    }

    /** See {@link ServerLimits#moduleQueueSize()}. */
    public Builder moduleQueueSize(int v) {
      moduleQueueSize = v;
      return this;
    }

    /** See {@link ServerLimits#authenticationWorkers()}. */
    public Builder authenticationWorkers(int v) {
      authenticationWorkers = v;
      return this;
    }

    /** See {@link ServerLimits#queueTimeout()}. */
    public Builder queueTimeout(Duration v) {
      queueTimeout = v;
      return this;
    }

    /** See {@link ServerLimits#retryAfter()}. */
    public Builder retryAfter(Duration v) {
      retryAfter = v;
      return this;
    }

    /** See {@link ServerLimits#maxConfigBytes()}. */
    public Builder maxConfigBytes(long v) {
      maxConfigBytes = v;
      return this;
    }

    /** See {@link ServerLimits#maxModuleBytes()}. */
    public Builder maxModuleBytes(long v) {
      maxModuleBytes = v;
      return this;
    }

    /**
     * The limits.
     *
     * @throws IllegalArgumentException when a limit is not positive
     */
    public ServerLimits build() {
      return new ServerLimits(
          maxConnections,
          maxConnectionsPerClient,
          idleTimeout,
          handshakeTimeout,
          bodyTimeout,
          maxHeaderBytes,
          ioThreads,
          maxStreamsPerConnection,
          moduleConcurrency,
          moduleQueueSize,
          authenticationWorkers,
          queueTimeout,
          retryAfter,
          maxConfigBytes,
          maxModuleBytes);
    }
  }
}
