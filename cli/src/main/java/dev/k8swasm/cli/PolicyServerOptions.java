package dev.k8swasm.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The flags of Kubewarden's policy-server that {@code serve} has no spelling of its own for, so
 * that a policy-server command line (or its {@code KUBEWARDEN_*} environment, see {@link
 * PolicyServerEnvironment}) starts {@code serve} unchanged. Flags policy-server shares with us
 * under another name ({@code --addr}, {@code --cert-file}, {@code --key-file}, {@code
 * --client-ca-file}, {@code --readiness-probe-port}, {@code --policy-timeout}, {@code
 * --verification-path}) are aliases of our options.
 */
public final class PolicyServerOptions {
  /**
   * The deadline of one evaluation with {@code --disable-timeout-protection}: kube-apiserver waits
   * at most 30 s for a webhook, so an evaluation running longer cannot be answered anyway.
   */
  static final Duration UNPROTECTED_TIMEOUT = Duration.ofSeconds(30);

  @Option(names = "--addr", paramLabel = "ADDR", hidden = true, description = "--address")
  String addr;

  @Option(names = "--cert-file", paramLabel = "FILE", hidden = true, description = "--tls-cert")
  Path certFile;

  @Option(names = "--key-file", paramLabel = "FILE", hidden = true, description = "--tls-key")
  Path keyFile;

  @Option(
      names = "--client-ca-file",
      paramLabel = "FILE",
      split = ",",
      hidden = true,
      description = "--client-ca")
  List<Path> clientCaFiles;

  @Option(
      names = "--readiness-probe-port",
      paramLabel = "PORT",
      hidden = true,
      description = "--metrics-port")
  Integer readinessProbePort;

  @Option(
      names = "--policy-timeout",
      paramLabel = "SECONDS",
      converter = Converters.PositiveDuration.class,
      hidden = true,
      description = "The deadline of policies without timeoutEvalSeconds (--timeout: of all)")
  Duration policyTimeout;

  @Option(
      names = "--verification-path",
      paramLabel = "FILE",
      hidden = true,
      description = "--verification-config-path")
  Path verificationPath;

  @Option(
      names = "--always-accept-admission-reviews-on-namespace",
      paramLabel = "NAMESPACE",
      description =
          "AdmissionReviews in NAMESPACE are accepted by every policy of --policies without"
              + " evaluating it (Kubewarden's own namespace).")
  String alwaysAcceptNamespace;

  @Option(
      names = "--policies-download-dir",
      paramLabel = "DIR",
      description = "Where policies from registries are stored (default: the module store).")
  Path policiesDownloadDir;

  @Option(
      names = "--sigstore-cache-dir",
      paramLabel = "DIR",
      description =
          "Accepted for policy-server; unused: keyless (Sigstore) verification is not supported,"
              + " so there is nothing to cache.")
  Path sigstoreCacheDir;

  @Option(
      names = "--enable-metrics",
      description =
          "Also export metrics (and traces) over OTLP as the OTEL_* variables say; /metrics"
              + " always serves them.")
  boolean enableMetrics;

  @Option(
      names = "--disable-timeout-protection",
      description =
          "No 2 s policy deadline; evaluations still end after 30 s, the longest kube-apiserver"
              + " waits for a webhook.")
  boolean disableTimeoutProtection;

  @Option(
      names = "--ignore-kubernetes-connection-failure",
      description =
          "Ready even while the API server cannot be reached (context-aware policies then fail"
              + " their cluster calls).")
  boolean ignoreKubernetesConnectionFailure;

  @Option(
      names = "--continue-on-errors",
      description =
          "Serve even when policies fail to load: each such policy rejects every request with"
              + " its error and code 500.")
  boolean continueOnErrors;

  @Option(names = "--log-no-color", description = "Accepted; log lines are never coloured.")
  boolean logNoColor;

  @Option(
      names = "--daemon",
      description = "Refused: k8s-wasm does not detach (run it under systemd or a container).")
  boolean daemon;

  @Option(
      names = {"--daemon-pid-file", "--daemon-stdout-file", "--daemon-stderr-file"},
      paramLabel = "FILE",
      hidden = true,
      description = "Only meaningful with --daemon, which is refused.")
  Path daemonFile;

  @Option(
      names = "--enable-pprof",
      description = "Refused: k8s-wasm runs on the JVM; profile it with JDK Flight Recorder.")
  boolean enablePprof;

  /** Used by picocli. */
  public PolicyServerOptions() {}

  /**
   * The deadline of policies without a {@code timeoutEvalSeconds} of their own, as policy-server
   * applies {@code --policy-timeout} and {@code --disable-timeout-protection}; null: the default.
   */
  Duration policyDeadline() {
    return disableTimeoutProtection ? UNPROTECTED_TIMEOUT : policyTimeout;
  }

  /** Why these flags cannot be served, or null when they can. */
  String refusal() {
    if (daemon) {
      return "--daemon (KUBEWARDEN_DAEMON): k8s-wasm does not detach from its terminal; run it"
          + " under systemd, in a container, or with nohup ... &";
    }
    if (enablePprof) {
      return "--enable-pprof (KUBEWARDEN_ENABLE_PPROF): k8s-wasm runs on the JVM and has no pprof"
          + " endpoint; profile it with JDK Flight Recorder (jcmd PID JFR.start, or"
          + " JAVA_TOOL_OPTIONS=-XX:StartFlightRecording)";
    }
    return null;
  }
}
