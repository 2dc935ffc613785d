package dev.k8swasm.kubewarden.capabilities;

import dev.k8swasm.authz.Authorizer;
import dev.k8swasm.kubewarden.session.SessionRecorder;
import java.util.Objects;
import java.util.Optional;

/**
 * What the host can do for Kubewarden policies, supplied by the embedder through {@code
 * ModuleSpec.builder(..).extension(HostCapabilities.class, capabilities)}:
 *
 * <ul>
 *   <li>{@code tracing/log} is built in (to SLF4J);
 *   <li>{@code net/v1/dns_lookup_host} uses the JDK resolver unless another {@link DnsResolver} is
 *       given;
 *   <li>{@code kubernetes/list_*} and {@code get_resource} are served by a {@link
 *       KubernetesContext}, {@code kubernetes/can_i} by an {@link Authorizer} (so a k8s-wasm
 *       authorization chain can answer it);
 *   <li>{@code oci/*} and {@code crypto/*} by {@link OciCapabilities} and {@link
 *       CryptoCapabilities};
 *   <li>anything not supplied fails with a clear "not available" error the policy sees.
 * </ul>
 *
 * <p>Which capabilities a policy may call at all is decided per policy by its {@code
 * allowedHostCapabilities} (deny by default) and, for Kubernetes resources, its {@code
 * contextAwareResources}. A {@link SessionRecorder} records every exchange; a {@link SessionReplay}
 * answers every call from a recorded session instead of the handlers. Immutable and thread-safe.
 */
public final class HostCapabilities {
  private static final HostCapabilities DEFAULTS = builder().build();

  private final KubernetesContext kubernetes;
  private final Authorizer authorizer;
  private final OciCapabilities oci;
  private final CryptoCapabilities crypto;
  private final DnsResolver dns;
  private final SessionRecorder recorder;
  private final SessionReplay replay;

  private HostCapabilities(Builder b) {
    this.kubernetes = b.kubernetes;
    this.authorizer = b.authorizer;
    this.oci = b.oci;
    this.crypto = b.crypto;
    this.dns = b.dns;
    this.recorder = b.recorder;
    this.replay = b.replay;
  }

  /** Only the built-in capabilities: tracing and DNS through the JDK. */
  public static HostCapabilities defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these capabilities. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.kubernetes = kubernetes;
    b.authorizer = authorizer;
    b.oci = oci;
    b.crypto = crypto;
    b.dns = dns;
    b.recorder = recorder;
    b.replay = replay;
    return b;
  }

  public Optional<KubernetesContext> kubernetes() {
    return Optional.ofNullable(kubernetes);
  }

  public Optional<Authorizer> authorizer() {
    return Optional.ofNullable(authorizer);
  }

  public Optional<OciCapabilities> oci() {
    return Optional.ofNullable(oci);
  }

  public Optional<CryptoCapabilities> crypto() {
    return Optional.ofNullable(crypto);
  }

  public DnsResolver dns() {
    return dns;
  }

  public Optional<SessionRecorder> recorder() {
    return Optional.ofNullable(recorder);
  }

  public Optional<SessionReplay> replay() {
    return Optional.ofNullable(replay);
  }

  /** The error of a capability the embedder did not supply. */
  public static HostCapabilityException notAvailable(String path) {
    return new HostCapabilityException(
        "host capability '"
            + path
            + "' is not available: the host was not given a handler for it"
            + " (HostCapabilities."
            + handlerName(path)
            + ")");
  }

  private static String handlerName(String path) {
    if (path.equals("kubernetes/can_i")) {
      return "Builder.authorizer";
    }
    int slash = path.indexOf('/');
    String ns = slash < 0 ? path : path.substring(0, slash);
    return "Builder." + ns;
  }

  /** Builds {@link HostCapabilities}. */
  public static final class Builder {
    private KubernetesContext kubernetes;
    private Authorizer authorizer;
    private OciCapabilities oci;
    private CryptoCapabilities crypto;
    private DnsResolver dns = DnsResolver.jdk();
    private SessionRecorder recorder;
    private SessionReplay replay;

    private Builder() {}

    /** Serves {@code kubernetes/list_*} and {@code kubernetes/get_resource}. */
    public Builder kubernetes(KubernetesContext kubernetes) {
      this.kubernetes = Objects.requireNonNull(kubernetes, "kubernetes");
      return this;
    }

    /** Answers {@code kubernetes/can_i}. */
    public Builder authorizer(Authorizer authorizer) {
      this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
      return this;
    }

    /** Serves {@code oci/*}. */
    public Builder oci(OciCapabilities oci) {
      this.oci = Objects.requireNonNull(oci, "oci");
      return this;
    }

    /** Serves {@code crypto/*}. */
    public Builder crypto(CryptoCapabilities crypto) {
      this.crypto = Objects.requireNonNull(crypto, "crypto");
      return this;
    }

    /** Serves {@code net/v1/dns_lookup_host} (default: the JDK resolver). */
    public Builder dns(DnsResolver dns) {
      this.dns = Objects.requireNonNull(dns, "dns");
      return this;
    }

    /** Records every exchange (also when replaying). */
    public Builder record(SessionRecorder recorder) {
      this.recorder = Objects.requireNonNull(recorder, "recorder");
      return this;
    }

    /** Answers every call from a recorded session instead of the handlers. */
    public Builder replay(SessionReplay replay) {
      this.replay = Objects.requireNonNull(replay, "replay");
      return this;
    }

    public HostCapabilities build() {
      return new HostCapabilities(this);
    }
  }
}
