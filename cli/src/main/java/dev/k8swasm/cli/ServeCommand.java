package dev.k8swasm.cli;

import dev.k8swasm.authz.AuthorizationDecision;
import dev.k8swasm.authz.Authorizer;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.server.KubeConfigs;
import dev.k8swasm.server.SelfSignedFiles;
import dev.k8swasm.server.ServeSettings;
import dev.k8swasm.server.WebhookServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code k8s-wasm serve}: the HTTPS webhook server for kube-apiserver, or with {@code
 * --print-kube-config} the files that point kube-apiserver at it.
 */
@Command(
    name = "serve",
    sortOptions = false,
    abbreviateSynopsis = true,
    usageHelpAutoWidth = true,
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    defaultValueProvider = PolicyServerEnvironment.class,
    description = {
      "Serves the modules configured in FILE as webhooks for kube-apiserver over HTTPS.",
      "",
      "Endpoints:",
      "  POST /authenticate   TokenReview v1, v1beta1",
      "  POST /authorize      SubjectAccessReview v1, v1beta1",
      "  POST /mutate         AdmissionReview v1: the mutating modules (JSONPatch)",
      "  POST /validate       AdmissionReview v1: the validating modules",
      "  POST /mutate/NAME, /validate/NAME: one admission module",
      "  POST /validate/ID: with --policies, policy ID as Kubewarden's policy-server answers",
      "  GET  /healthz, /readyz, /metrics (Prometheus)",
      "",
      "FILE has optional sections 'authentication', 'authorization' and 'admission', each a"
          + " module list inline ('modules: [...]') or 'path: FILE' (a module list or an"
          + " AdmissionConfiguration), and optional server settings (port, maxRequestBytes..."
          + " flags override them). The configuration and module files are watched: a change is"
          + " loaded in the background and swapped in atomically; a broken one is logged and the"
          + " current one keeps serving. SIGTERM finishes the requests in flight, then exits.",
      ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  k8s-wasm serve -c server.yaml          # generates a self-signed certificate",
      "  k8s-wasm serve -c server.yaml --tls-cert tls.crt --tls-key tls.key \\",
      "      --client-ca apiserver-ca.crt --metrics-port 9090",
      "  k8s-wasm serve -c server.yaml --print-kube-config out/ --url https://10.0.0.5",
      "  k8s-wasm serve --policies policies.yml   # Kubewarden policy-server's format",
      "",
      "Kubewarden policy-server's spellings of our flags (--addr, --cert-file,",
      "--key-file, --client-ca-file, --readiness-probe-port, --policy-timeout,",
      "--verification-path) and its KUBEWARDEN_* environment variables work too",
      "(ours win over its spellings, which win over their variables, which win",
      "over FILE): a PolicyServer Deployment of Kubewarden's controller runs serve.",
      "",
      "Exit codes:",
      "  0  After a clean shutdown, or when the files were written.",
      "  1  The configuration, a module or a TLS file is invalid, or the port cannot",
      "     be bound.",
      "  2  A usage error."
    })
public final class ServeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "The server configuration (YAML or JSON).")
  Path config;

  @Option(
      names = "--policies",
      paramLabel = "FILE",
      description =
          "A Kubewarden policy-server policies.yml, served instead of -c (to serve both, name it"
              + " in the configuration: 'policies: FILE').")
  Path policies;

  @Option(
      names = "--address",
      paramLabel = "ADDR",
      description = "The address to listen on (default: 0.0.0.0).")
  String address;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "The HTTPS port (default: 8443; 0 = any free port).")
  Integer port;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description =
          "Also serve /metrics, /healthz, /readyz and /readiness over plain HTTP on PORT (for"
              + " Prometheus and kubelet probes when --client-ca makes the HTTPS port require"
              + " certificates).")
  Integer metricsPort;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description =
          "PEM certificate chain, leaf first. Without --tls-cert/--tls-key a self-signed CA and"
              + " certificate are generated and the CA is printed to stderr.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "PEM private key of --tls-cert: PKCS#8 or PKCS#1/SEC1, RSA or EC.")
  Path tlsKey;

  @Option(
      names = "--client-ca",
      paramLabel = "FILE",
      split = ",",
      description =
          "Require client certificates signed by the CA(s) in these PEM files (mTLS; repeatable"
              + " or comma-separated).")
  List<Path> clientCas;

  @Option(
      names = "--tls-san",
      paramLabel = "NAME",
      split = ",",
      description =
          "Extra DNS name or IP address for a generated certificate (repeatable; localhost,"
              + " 127.0.0.1 and ::1 are always included).")
  List<String> tlsSans;

  @Option(
      names = "--ca-out",
      paramLabel = "FILE",
      description = "Also write the generated CA certificate (PEM) to FILE.")
  Path caOut;

  @Option(
      names = "--max-request-bytes",
      paramLabel = "SIZE",
      converter = Converters.PositiveSize.class,
      description = "Largest request body; larger ones get 413 (default: 8Mi).")
  Long maxRequestBytes;

  @Option(
      names = "--workers",
      paramLabel = "N",
      description = "Worker threads (default: 2 per processor, at least 4).")
  Integer workers;

  @Option(
      names = "--queue-size",
      paramLabel = "N",
      description =
          "Requests that may wait for a worker; when full the server answers 429 with"
              + " Retry-After (default: 16 per worker, at least 64).")
  Integer queueSize;

  @Option(
      names = "--grace-period",
      paramLabel = "DURATION",
      converter = Converters.PositiveDuration.class,
      description = "On SIGTERM, how long requests in flight may take to finish (default: 20s).")
  Duration gracePeriod;

  @Option(
      names = "--reload-interval",
      paramLabel = "DURATION",
      converter = Converters.PositiveDuration.class,
      description = "How often watched files are checked besides file events (default: 2s).")
  Duration reloadInterval;

  @Option(names = "--no-watch", description = "Do not watch the configuration and module files.")
  boolean noWatch;

  @Option(
      names = "--print-kube-config",
      paramLabel = "DIR",
      description =
          "Do not serve: write into DIR the kubeconfig files for kube-apiserver's authentication"
              + " and authorization webhook flags and the Mutating/ValidatingWebhookConfiguration"
              + " for the configured modules, with the CA bundle filled in. Without"
              + " --tls-cert a CA and certificate are generated into DIR (tls.crt, tls.key,"
              + " ca.crt) for serving with.")
  Path printKubeConfig;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description =
          "With --print-kube-config: the server's URL as kube-apiserver reaches it"
              + " (default: https://127.0.0.1:PORT).")
  String url;

  @Option(
      names = "--service",
      paramLabel = "NAMESPACE/NAME[:PORT]",
      description =
          "With --print-kube-config: the server runs in the cluster behind this Service"
              + " (admission webhooks use clientConfig.service).")
  String service;

  @Option(
      names = "--tls-ca",
      paramLabel = "FILE",
      description =
          "With --print-kube-config: the CA that signed --tls-cert, for the CA bundle"
              + " (default: the last certificate of --tls-cert).")
  Path tlsCa;

  /** Who answers policies' {@code kubernetes/can_i}. */
  enum CanIAnswerer {
    /** SubjectAccessReviews to the cluster's API server (the default when serve reads one). */
    CLUSTER,
    /** This server's own authorization modules, as {@code /authorize} answers. */
    AUTHORIZATION
  }

  @Option(
      names = "--can-i",
      paramLabel = "cluster|authorization",
      description =
          "Who answers policies' kubernetes/can_i: cluster (SubjectAccessReviews to the API"
              + " server; the default when serve reads a cluster) or authorization (this"
              + " server's own authorization modules, as /authorize answers).")
  CanIAnswerer canI;

  @Mixin ExecutionOptions execution;

  @Mixin RegistryOptions registry;

  @Mixin DebugOption debug;

  @Mixin ClusterOptions clusterOptions;

  @ArgGroup(validate = false, heading = "%nKubewarden policy-server's other flags:%n")
  PolicyServerOptions policyServer = new PolicyServerOptions();

  /** The cluster context-aware policies read, when serve runs with one. */
  private ClusterOptions.Cluster cluster;

  /** The server once started: with {@code --can-i authorization} it answers policies' can_i. */
  private final AtomicReference<WebhookServer> started = new AtomicReference<>();

  /** Used by picocli. */
  public ServeCommand() {}

  @Override
  public Integer call() {
    applyPolicyServerSpellings();
    checkUsage();
    if (policyServer.policiesDownloadDir != null) {
      registry.storeDir(policyServer.policiesDownloadDir);
    }
    // the server's own lines (listening, reloads, requests) at INFO unless a level was asked for
    Logging.serving();
    Errors errors = new Errors(spec.commandLine().getErr(), debug.enabled());
    return errors.guard(() -> printKubeConfig != null ? print() : serve());
  }

  private int serve() throws IOException, InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    // OTLP export of traces and metrics only when the OTEL_* environment or policy-server's
    // switches (--log-fmt otlp, --enable-metrics; gRPC as policy-server) ask for it
    boolean policyServerExport = Logging.otlp() || policyServer.enableMetrics;
    Telemetry telemetry =
        Telemetry.wanted(System.getenv(), policyServerExport)
            ? Telemetry.start(System.getenv(), policyServerExport)
            : null;
    WebhookServer.Builder builder =
        WebhookServer.builder(config)
            .overrides(overrides())
            .specCustomizer(this::customize)
            .debug(debug.enabled());
    if (policyServer.alwaysAcceptNamespace != null) {
      builder.alwaysAcceptAdmissionReviewsOnNamespace(policyServer.alwaysAcceptNamespace);
    }
    builder.continueOnPolicyErrors(policyServer.continueOnErrors);
    if (telemetry != null) {
      builder.openTelemetry(telemetry.api());
    }
    WebhookServer server;
    try {
      if (clusterOptions.serveUsesCluster()) {
        // in-cluster (service account) or --kubeconfig: context-aware policies read the cluster,
        // namespaceSelectors are applied here, readiness waits for the caches
        cluster = ClusterOptions.Cluster.of(clusterOptions.client());
        builder.namespaceLabels(cluster.context().namespaceLabels());
        if (!policyServer.ignoreKubernetesConnectionFailure) {
          builder.readiness(cluster.context()::notReady);
        }
      }
      server = builder.build().start();
      started.set(server);
    } catch (IOException | RuntimeException e) {
      if (telemetry != null) {
        telemetry.close();
      }
      if (cluster != null) {
        cluster.close();
      }
      throw e;
    }
    if (server.generatedCaPem().isPresent() && Logging.json()) {
      // every line on stderr is a JSON object: the CA is a field
      String pem = server.generatedCaPem().get();
      if (caOut != null) {
        Files.writeString(caOut, pem);
      }
      LoggerFactory.getLogger(ServeCommand.class)
          .atWarn()
          .addKeyValue("ca_pem", pem)
          .addKeyValue("ca_out", caOut == null ? null : caOut.toString())
          .log(
              "No --tls-cert given: serving a generated self-signed certificate; its CA is in"
                  + " ca_pem (trust it with curl --cacert, or use --print-kube-config)");
    } else if (server.generatedCaPem().isPresent()) {
      String pem = server.generatedCaPem().get();
      err.println(
          "No --tls-cert given: serving a generated self-signed certificate. Its CA (trust it"
              + " with curl --cacert, or use --print-kube-config):");
      err.print(pem);
      if (caOut != null) {
        Files.writeString(caOut, pem);
        err.println("The CA was written to " + caOut);
      }
      err.flush();
    } else if (caOut != null) {
      if (Logging.json()) {
        LoggerFactory.getLogger(ServeCommand.class)
            .warn("--ca-out applies only to a generated certificate; ignored");
      } else {
        err.println("warning: --ca-out applies only to a generated certificate; ignored");
      }
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  if (telemetry != null) {
                    telemetry.close();
                  }
                  if (cluster != null) {
                    cluster.close();
                  }
                  stopped.countDown();
                },
                "k8s-wasm-shutdown"));
    stopped.await();
    return 0;
  }

  private int print() throws IOException {
    ServeSettings settings = ServeSettings.read(config, overrides());
    Path dir = printKubeConfig;
    KubeConfigs.Target target;
    if (service != null) {
      target = KubeConfigs.parseService(service);
    } else {
      target =
          new KubeConfigs.Target.Url(url != null ? url : "https://127.0.0.1:" + settings.port());
    }
    String caPem;
    PrintWriter out = spec.commandLine().getOut();
    if (settings.tlsCert().isPresent()) {
      caPem =
          tlsCa != null
              ? SelfSignedFiles.readCertificatesPem(tlsCa)
              : SelfSignedFiles.lastCertificatePem(settings.tlsCert().get());
    } else {
      Set<String> names = new LinkedHashSet<>(settings.tlsNames());
      names.addAll(SelfSignedFiles.namesFor(target));
      Files.createDirectories(dir);
      caPem = SelfSignedFiles.generate(names, dir);
      out.println(
          "Generated "
              + dir.resolve(SelfSignedFiles.CERT)
              + " and "
              + dir.resolve(SelfSignedFiles.KEY)
              + " (serve with --tls-cert and --tls-key) and the CA "
              + dir.resolve(SelfSignedFiles.CA));
    }
    List<Path> files =
        KubeConfigs.write(
            config,
            target,
            caPem,
            !settings.clientCas().isEmpty(),
            this::customize,
            policyServer.continueOnErrors,
            dir);
    for (Path f : files) {
      out.println("wrote " + f);
    }
    out.flush();
    return 0;
  }

  private ServeSettings.Overrides overrides() {
    return new ServeSettings.Overrides(
        address,
        port,
        metricsPort,
        tlsCert,
        tlsKey,
        clientCas,
        tlsSans,
        maxRequestBytes,
        workers,
        queueSize,
        gracePeriod,
        reloadInterval,
        noWatch ? Boolean.FALSE : null);
  }

  /** The command line's engine and limits override the configured ones. */
  ModuleSpec.Builder customize(ModuleSpec.Builder b) {
    execution.apply(b);
    Duration policyDeadline = policyServer.policyDeadline();
    if (policyDeadline != null && !execution.timeoutGiven()) {
      // as policy-server: the global deadline of policies without a timeoutEvalSeconds of their own
      dev.k8swasm.module.Limits limits = b.build().limits();
      if (limits.timeout().equals(dev.k8swasm.module.Limits.defaults().timeout())) {
        b.limits(limits.toBuilder().timeout(policyDeadline).build());
      }
    }
    // registry:// modules are pulled at start and on every reload; a failed pull keeps the
    // running configuration
    registry.apply(b, dev.k8swasm.source.SourceOptions.PullPolicy.ALWAYS);
    if (debug.enabled()) {
      b.debug(true);
    }
    // policies' can_i: this server's own authorization modules when asked, else the cluster's
    Authorizer canIAnswerer =
        canI == CanIAnswerer.AUTHORIZATION
            ? this::authorizeHere
            : cluster != null ? cluster.authorizer() : null;
    if (cluster != null) {
      ClusterCapabilities.apply(b, cluster.context(), canIAnswerer);
    } else if (canIAnswerer != null) {
      ClusterCapabilities.answerCanI(b, canIAnswerer);
    }
    return b;
  }

  /** A {@code can_i} answered by this server's own authorization modules. */
  private AuthorizationDecision authorizeHere(SubjectAccessReview review) {
    WebhookServer server = started.get();
    return server == null
        ? AuthorizationDecision.noOpinion("k8s-wasm serve is still starting")
        : server.authorizer().authorize(review);
  }

  /**
   * policy-server's spellings of our flags (given or from their {@code KUBEWARDEN_*} variables)
   * where ours are not given.
   */
  void applyPolicyServerSpellings() {
    PolicyServerOptions ps = policyServer;
    address = address != null ? address : ps.addr;
    tlsCert = tlsCert != null ? tlsCert : ps.certFile;
    tlsKey = tlsKey != null ? tlsKey : ps.keyFile;
    clientCas = clientCas != null ? clientCas : ps.clientCaFiles;
    metricsPort = metricsPort != null ? metricsPort : ps.readinessProbePort;
    if (registry.verificationConfig == null) {
      registry.verificationConfig = ps.verificationPath;
    }
  }

  private void checkUsage() {
    String refusal = policyServer.refusal();
    if (refusal != null) {
      throw new ParameterException(spec.commandLine(), refusal);
    }
    if ((config == null) == (policies == null)) {
      boolean policiesFromEnvironment =
          policies != null && !spec.commandLine().getParseResult().hasMatchedOption("--policies");
      throw new ParameterException(
          spec.commandLine(),
          config == null
              ? "Give the configuration: -c FILE, or --policies FILE (a policy-server"
                  + " policies.yml; or KUBEWARDEN_POLICIES=FILE)"
              : "Give either -c or --policies"
                  + (policiesFromEnvironment ? " (set by KUBEWARDEN_POLICIES)" : "")
                  + "; to serve both, add 'policies: "
                  + policies
                  + "' to "
                  + config);
    }
    if (config == null) {
      config = policies;
    }
    if (printKubeConfig == null && (url != null || service != null || tlsCa != null)) {
      throw new ParameterException(
          spec.commandLine(), "--url, --service and --tls-ca only apply to --print-kube-config");
    }
    if (url != null && service != null) {
      throw new ParameterException(spec.commandLine(), "Give either --url or --service, not both");
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new ParameterException(
          spec.commandLine(),
          "Give both --tls-cert and --tls-key (--cert-file and --key-file, KUBEWARDEN_CERT_FILE"
              + " and KUBEWARDEN_KEY_FILE), or neither");
    }
    for (Integer p : new Integer[] {port, metricsPort}) {
      if (p != null && (p < 0 || p > 65535)) {
        throw new ParameterException(spec.commandLine(), "Not a port number (0..65535): " + p);
      }
    }
    if (workers != null && workers < 1) {
      throw new ParameterException(spec.commandLine(), "--workers must be at least 1");
    }
    if (queueSize != null && queueSize < 0) {
      throw new ParameterException(spec.commandLine(), "--queue-size must not be negative");
    }
    if (canI == CanIAnswerer.CLUSTER
        && printKubeConfig == null
        && !clusterOptions.serveUsesCluster()) {
      throw new ParameterException(
          spec.commandLine(),
          "--can-i cluster needs a cluster: give --kubeconfig or --context, or run in a pod with"
              + " its service account (or use --can-i authorization)");
    }
  }
}
