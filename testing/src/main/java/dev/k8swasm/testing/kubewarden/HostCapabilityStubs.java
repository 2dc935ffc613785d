package dev.k8swasm.testing.kubewarden;

import dev.k8swasm.kubewarden.capabilities.HostCapabilities;
import dev.k8swasm.kubewarden.session.Exchange;
import dev.k8swasm.kubewarden.session.SessionFile;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.testing.Fixtures;
import dev.k8swasm.testing.PerTestState;
import dev.k8swasm.testing.Policy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.opentest4j.AssertionFailedError;

/**
 * Stubbed host capabilities for testing Kubewarden policies: the DNS lookups, Kubernetes resources,
 * {@code can_i} answers, OCI registry and crypto results a policy may ask the host for, answered
 * from what the test declares instead of the network or a cluster.
 *
 * <pre>{@code
 * @WasmPolicy(value = "policy.wasm", type = "kubewarden",
 *     settings = "{dnsLookup: example.com}",
 *     options = "{allowedHostCapabilities: ['net/v1/dns_lookup_host']}")
 * class DnsPolicyTest {
 *   @Test
 *   void warnsWithTheAddress(Policy policy, HostCapabilityStubs host) {
 *     host.dnsLookup("example.com").returns("93.184.215.14");
 *     assertThat(policy.admit(review)).isAllowed().hasWarnings("dns:example.com=93.184.215.14");
 *   }
 * }
 * }</pre>
 *
 * A call that nothing stubs is answered with a host error ({@code unexpected host capability call
 * ...}), which the policy sees, and fails the test after it ran, listing the call and what was
 * stubbed. The first stub that matches a call answers it, in the order they were given; stubs given
 * in a test come before those kept across tests (such as the session of
 * {@code @WasmPolicy(hostCapabilities = ...)}). {@link #replay(String)} turns a {@code kwctl}
 * recorded session into stubs, each answering once, in the recorded order.
 *
 * <p>With {@link dev.k8swasm.testing.WasmPolicy} and {@code type = "kubewarden"} the policy always
 * gets stubs (so a test never reaches the network), which tests receive as a parameter of this
 * type; they are verified and cleared after each test ({@link PerTestState}). A policy loaded
 * directly gets them with {@link #installOn(Policy.Builder)}. Thread-safe.
 *
 * <p>This class is the entry point; the stub DSL is {@link DnsStub}, {@link GetResourceStub},
 * {@link ListResourcesStub}, {@link CanIStub}, {@link ImageStub} and {@link AnyRequestStub}.
 *
 * <p>Which capabilities a policy may call is still decided by its {@code allowedHostCapabilities}
 * option and {@code contextAwareResources}, exactly as in production: a call they refuse never
 * reaches the stubs.
 */
public final class HostCapabilityStubs implements PerTestState {
  private final StubRegistry registry = new StubRegistry();
  private final HostCapabilities capabilities;

  private HostCapabilityStubs() {
    StubHandlers h = new StubHandlers(registry);
    this.capabilities =
        HostCapabilities.builder().dns(h).kubernetes(h).authorizer(h).oci(h).crypto(h).build();
  }

  /** No stubs: every call is unexpected. */
  public static HostCapabilityStubs create() {
    return new HostCapabilityStubs();
  }

  // ------------------------------------------------------------------------- wiring

  /** The host capabilities to give a Kubewarden policy ({@code ModuleSpec} extension). */
  public HostCapabilities hostCapabilities() {
    return capabilities;
  }

  /** A spec customizer that gives the policy these stubs as its host capabilities. */
  public UnaryOperator<ModuleSpec.Builder> install() {
    return b -> b.extension(HostCapabilities.class, capabilities);
  }

  /** Gives the policy {@code builder} loads these stubs, verified and reset after each test. */
  public Policy.Builder installOn(Policy.Builder builder) {
    return builder.customize(install()).attach(this);
  }

  // ------------------------------------------------------------------------- stubbing

  /** Stubs {@code net/v1/dns_lookup_host} of {@code host}. */
  public DnsStub dnsLookup(String host) {
    return new DnsStub(this, Objects.requireNonNull(host, "host"));
  }

  /**
   * Stubs {@code kubernetes/get_resource} of a cluster-scoped object, or namespaced with {@link
   * GetResourceStub#inNamespace}.
   */
  public GetResourceStub getResource(String apiVersion, String kind, String name) {
    return new GetResourceStub(this, apiVersion, kind, name);
  }

  /**
   * Stubs {@code kubernetes/list_resources_all} of a kind, or {@code list_resources_by_namespace}
   * with {@link ListResourcesStub#inNamespace}.
   */
  public ListResourcesStub listResources(String apiVersion, String kind) {
    return new ListResourcesStub(this, apiVersion, kind);
  }

  /** Stubs {@code kubernetes/can_i}; narrow it with the stub's methods (unset = any). */
  public CanIStub canI() {
    return new CanIStub(this);
  }

  /** Stubs {@code oci/v1/manifest_digest} of {@code image}: answer with the digest. */
  public ImageStub manifestDigest(String image) {
    return new ImageStub(this, Stub.MANIFEST_DIGEST, image);
  }

  /** Stubs {@code oci/v1/oci_manifest} of {@code image}: answer with the manifest. */
  public ImageStub ociManifest(String image) {
    return new ImageStub(this, Stub.MANIFEST, image);
  }

  /**
   * Stubs {@code oci/v1/oci_manifest_config} of {@code image}: answer with {@code {manifest,
   * digest, config}}.
   */
  public ImageStub ociManifestAndConfig(String image) {
    return new ImageStub(this, Stub.MANIFEST_CONFIG, image);
  }

  /**
   * Stubs every {@code oci/v1/verify} and {@code oci/v2/verify} call: answer with {@code
   * {is_trusted, digest}}.
   */
  public AnyRequestStub sigstoreVerify() {
    return new AnyRequestStub(this, Stub.VERIFY);
  }

  /**
   * Stubs every {@code crypto/v1/is_certificate_trusted} call: answer with {@code {trusted,
   * reason}}.
   */
  public AnyRequestStub certificateTrusted() {
    return new AnyRequestStub(this, Stub.CERTIFICATE);
  }

  /**
   * Adds the exchanges of a {@code kwctl} recorded session ({@code
   * --record-host-capabilities-interactions}) as stubs: each answers one call, in the recorded
   * order among equal calls.
   *
   * @param location the session file (a path relative to the project, or a class path resource)
   * @throws IllegalArgumentException when the file cannot be read or holds a request type that
   *     cannot be stubbed
   */
  public HostCapabilityStubs replay(String location) {
    Path file = Fixtures.path(location);
    List<Stub> session = new ArrayList<>();
    for (Exchange e : SessionFile.read(file)) {
      session.add(Replay.stub(e, file.toString()));
    }
    registry.addAll(session);
    return this;
  }

  /** Keeps the current stubs across {@link #reset()} (for stubs every test needs). */
  public HostCapabilityStubs keepAcrossTests() {
    registry.keepAcrossTests();
    return this;
  }

  // ------------------------------------------------------------------------- checking

  /** Every call made since the last reset, in order. */
  public List<HostCall> calls() {
    return registry.calls();
  }

  /** The calls no stub answered. */
  public List<HostCall> unexpectedCalls() {
    return registry.unexpectedCalls();
  }

  /**
   * Fails when the policy made calls that nothing stubbed.
   *
   * @throws AssertionFailedError listing them and what was stubbed
   */
  @Override
  public void verify() {
    registry.verify();
  }

  /** Forgets the calls and the stubs, except those kept with {@link #keepAcrossTests()}. */
  @Override
  public void reset() {
    registry.reset();
  }

  @Override
  public String toString() {
    return registry.toString();
  }

  /** Adds a stub built by the DSL. */
  void add(Stub stub) {
    registry.add(Objects.requireNonNull(stub, "stub"));
  }
}
