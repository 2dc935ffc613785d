package dev.k8swasm.testing.kubewarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.k8swasm.authz.AuthorizationDecision;
import dev.k8swasm.authz.Authorizer;
import dev.k8swasm.authz.ResourceAttributes;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.json.Json;
import dev.k8swasm.kubewarden.capabilities.CryptoCapabilities;
import dev.k8swasm.kubewarden.capabilities.DnsResolver;
import dev.k8swasm.kubewarden.capabilities.HostCapabilities;
import dev.k8swasm.kubewarden.capabilities.HostCapabilityException;
import dev.k8swasm.kubewarden.capabilities.KubernetesContext;
import dev.k8swasm.kubewarden.capabilities.OciCapabilities;
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
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
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
 * <p>Which capabilities a policy may call is still decided by its {@code allowedHostCapabilities}
 * option and {@code contextAwareResources}, exactly as in production: a call they refuse never
 * reaches the stubs.
 */
public final class HostCapabilityStubs implements PerTestState {
  static final String DNS = "net/v1/dns_lookup_host";
  static final String GET_RESOURCE = "kubernetes/get_resource";
  static final String LIST_BY_NAMESPACE = "kubernetes/list_resources_by_namespace";
  static final String LIST_ALL = "kubernetes/list_resources_all";
  static final String CAN_I = "kubernetes/can_i";
  static final String MANIFEST_DIGEST = "oci/v1/manifest_digest";
  static final String MANIFEST = "oci/v1/oci_manifest";
  static final String MANIFEST_CONFIG = "oci/v1/oci_manifest_config";
  static final String VERIFY = "oci/verify";
  static final String CERTIFICATE = "crypto/v1/is_certificate_trusted";

  /** What {@link #keepAcrossTests()} keeps, unused. */
  private final List<Stub> baseline = new ArrayList<>();

  /** The kept stubs in use in this test (answering after the test's own). */
  private final List<Stub> kept = new ArrayList<>();

  /** The stubs the current test added, in order. */
  private final List<Stub> stubs = new ArrayList<>();

  private final List<HostCall> calls = new ArrayList<>();
  private final HostCapabilities capabilities;

  private HostCapabilityStubs() {
    Handlers h = new Handlers();
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
    return new DnsStub(Objects.requireNonNull(host, "host"));
  }

  /**
   * Stubs {@code kubernetes/get_resource} of a cluster-scoped object, or namespaced with {@link
   * GetResourceStub#inNamespace}.
   */
  public GetResourceStub getResource(String apiVersion, String kind, String name) {
    return new GetResourceStub(apiVersion, kind, name);
  }

  /**
   * Stubs {@code kubernetes/list_resources_all} of a kind, or {@code list_resources_by_namespace}
   * with {@link ListResourcesStub#inNamespace}.
   */
  public ListResourcesStub listResources(String apiVersion, String kind) {
    return new ListResourcesStub(apiVersion, kind);
  }

  /** Stubs {@code kubernetes/can_i}; narrow it with the stub's methods (unset = any). */
  public CanIStub canI() {
    return new CanIStub();
  }

  /** Stubs {@code oci/v1/manifest_digest} of {@code image}: answer with the digest. */
  public ImageStub manifestDigest(String image) {
    return new ImageStub(MANIFEST_DIGEST, image);
  }

  /** Stubs {@code oci/v1/oci_manifest} of {@code image}: answer with the manifest. */
  public ImageStub ociManifest(String image) {
    return new ImageStub(MANIFEST, image);
  }

  /**
   * Stubs {@code oci/v1/oci_manifest_config} of {@code image}: answer with {@code {manifest,
   * digest, config}}.
   */
  public ImageStub ociManifestAndConfig(String image) {
    return new ImageStub(MANIFEST_CONFIG, image);
  }

  /**
   * Stubs every {@code oci/v1/verify} and {@code oci/v2/verify} call: answer with {@code
   * {is_trusted, digest}}.
   */
  public AnyRequestStub sigstoreVerify() {
    return new AnyRequestStub(VERIFY);
  }

  /**
   * Stubs every {@code crypto/v1/is_certificate_trusted} call: answer with {@code {trusted,
   * reason}}.
   */
  public AnyRequestStub certificateTrusted() {
    return new AnyRequestStub(CERTIFICATE);
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
    synchronized (this) {
      stubs.addAll(session);
    }
    return this;
  }

  /** Keeps the current stubs across {@link #reset()} (for stubs every test needs). */
  public synchronized HostCapabilityStubs keepAcrossTests() {
    List<Stub> all = all();
    baseline.clear();
    all.forEach(s -> baseline.add(s.fresh()));
    kept.clear();
    kept.addAll(all);
    stubs.clear();
    return this;
  }

  /** The stubs in the order they are tried: the test's, then the kept ones. */
  private List<Stub> all() {
    List<Stub> all = new ArrayList<>(stubs);
    all.addAll(kept);
    return all;
  }

  // ------------------------------------------------------------------------- checking

  /** Every call made since the last reset, in order. */
  public synchronized List<HostCall> calls() {
    return List.copyOf(calls);
  }

  /** The calls no stub answered. */
  public synchronized List<HostCall> unexpectedCalls() {
    return calls.stream().filter(c -> !c.stubbed()).toList();
  }

  /**
   * Fails when the policy made calls that nothing stubbed.
   *
   * @throws AssertionFailedError listing them and what was stubbed
   */
  @Override
  public synchronized void verify() {
    List<HostCall> unexpected = unexpectedCalls();
    if (unexpected.isEmpty()) {
      return;
    }
    StringBuilder why =
        new StringBuilder("The policy made host capability calls that nothing stubbed:");
    unexpected.forEach(c -> why.append("\n  - ").append(c));
    why.append("\n").append(describeStubs());
    why.append(
        "\nStub them, e.g. host.dnsLookup(\"example.com\").returns(\"93.184.215.14\"), or replay a"
            + " kwctl session with host.replay(\"session.yml\").");
    throw new AssertionFailedError(why.toString());
  }

  /** Forgets the calls and the stubs, except those kept with {@link #keepAcrossTests()}. */
  @Override
  public synchronized void reset() {
    calls.clear();
    stubs.clear();
    kept.clear();
    for (Stub s : baseline) {
      kept.add(s.fresh());
    }
  }

  private String describeStubs() {
    List<Stub> all = all();
    if (all.isEmpty()) {
      return "Nothing is stubbed.";
    }
    StringBuilder out = new StringBuilder("Stubbed:");
    for (Stub s : all) {
      out.append("\n  - ").append(s.description());
      if (s.usesLeft() == 0) {
        out.append(" (used up)");
      }
    }
    return out.toString();
  }

  @Override
  public synchronized String toString() {
    return "HostCapabilityStubs[" + all().size() + " stubs, " + calls.size() + " calls]";
  }

  // ------------------------------------------------------------------------- answering

  /** Answers a call with the first matching stub that has uses left. */
  private Object answer(String capability, JsonNode request) {
    Stub found;
    synchronized (this) {
      found = null;
      for (Stub s : all()) {
        if (s.capability().equals(capability) && s.usesLeft() != 0 && s.matcher().test(request)) {
          found = s;
          break;
        }
      }
      calls.add(new HostCall(capability, request, found != null));
      if (found == null) {
        throw new HostCapabilityException(
            "unexpected host capability call "
                + capability
                + " "
                + Json.writeString(request)
                + ": nothing stubs it in this test");
      }
      found.use();
    }
    return found.answer().apply(request);
  }

  synchronized void add(Stub stub) {
    stubs.add(stub);
  }

  private static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** What answers one kind of call. */
  static final class Stub {
    private final String capability;
    private final String description;
    private final Predicate<JsonNode> matcher;
    private final Function<JsonNode, Object> answer;
    private final int uses;
    private int usesLeft;

    Stub(
        String capability,
        String description,
        Predicate<JsonNode> matcher,
        Function<JsonNode, Object> answer,
        int uses) {
      this.capability = capability;
      this.description = description;
      this.matcher = matcher;
      this.answer = answer;
      this.uses = uses;
      this.usesLeft = uses;
    }

    String capability() {
      return capability;
    }

    String description() {
      return description;
    }

    Predicate<JsonNode> matcher() {
      return matcher;
    }

    Function<JsonNode, Object> answer() {
      return answer;
    }

    /** Uses left; negative means unlimited. */
    int usesLeft() {
      return usesLeft;
    }

    void use() {
      if (usesLeft > 0) {
        usesLeft--;
      }
    }

    Stub fresh() {
      return new Stub(capability, description, matcher, answer, uses);
    }
  }

  static Function<JsonNode, Object> failing(String message) {
    Objects.requireNonNull(message, "message");
    return r -> {
      throw new HostCapabilityException(message);
    };
  }

  // ------------------------------------------------------------------------- the DSL

  /** A stubbed DNS lookup. */
  public final class DnsStub {
    private final String host;

    private DnsStub(String host) {
      this.host = host;
    }

    /** The host has these addresses (none: an empty list). */
    public HostCapabilityStubs returns(String... addresses) {
      List<String> ips = List.of(addresses);
      return finish(r -> ips);
    }

    /** The lookup fails with {@code message}. */
    public HostCapabilityStubs fails(String message) {
      return finish(failing(message));
    }

    private HostCapabilityStubs finish(Function<JsonNode, Object> answer) {
      add(new Stub(DNS, DNS + " \"" + host + "\"", r -> r.asText().equals(host), answer, -1));
      return HostCapabilityStubs.this;
    }
  }

  /** A stubbed {@code get_resource}. */
  public final class GetResourceStub {
    private final String apiVersion;
    private final String kind;
    private final String name;
    private String namespace;

    private GetResourceStub(String apiVersion, String kind, String name) {
      this.apiVersion = Objects.requireNonNull(apiVersion, "apiVersion");
      this.kind = Objects.requireNonNull(kind, "kind");
      this.name = Objects.requireNonNull(name, "name");
    }

    /** The object is in {@code namespace}. */
    public GetResourceStub inNamespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    /** Answers with {@code object} (YAML or JSON text, a map, a tree, a model object). */
    public HostCapabilityStubs returns(Object object) {
      JsonNode found = Stubs.tree(object);
      return finish(r -> Optional.of(found.deepCopy()));
    }

    /** The object does not exist. */
    public HostCapabilityStubs notFound() {
      return finish(r -> Optional.empty());
    }

    /** The lookup fails with {@code message}. */
    public HostCapabilityStubs fails(String message) {
      return finish(failing(message));
    }

    private HostCapabilityStubs finish(Function<JsonNode, Object> answer) {
      ObjectNode want = object().put("apiVersion", apiVersion).put("kind", kind).put("name", name);
      if (namespace != null) {
        want.put("namespace", namespace);
      }
      add(
          new Stub(
              GET_RESOURCE, GET_RESOURCE + " " + Json.writeString(want), want::equals, answer, -1));
      return HostCapabilityStubs.this;
    }
  }

  /** A stubbed {@code list_resources_*}. */
  public final class ListResourcesStub {
    private final String apiVersion;
    private final String kind;
    private String namespace;
    private String labelSelector;
    private String fieldSelector;

    private ListResourcesStub(String apiVersion, String kind) {
      this.apiVersion = Objects.requireNonNull(apiVersion, "apiVersion");
      this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** Stubs {@code list_resources_by_namespace} in {@code namespace}. */
    public ListResourcesStub inNamespace(String namespace) {
      this.namespace = Objects.requireNonNull(namespace, "namespace");
      return this;
    }

    /** Only when the policy asks with this label selector (default: any). */
    public ListResourcesStub withLabelSelector(String labelSelector) {
      this.labelSelector = labelSelector;
      return this;
    }

    /** Only when the policy asks with this field selector (default: any). */
    public ListResourcesStub withFieldSelector(String fieldSelector) {
      this.fieldSelector = fieldSelector;
      return this;
    }

    /** Answers with these objects (each YAML or JSON text, a map, a tree, a model object). */
    public HostCapabilityStubs returns(Object... items) {
      List<JsonNode> list = new ArrayList<>();
      for (Object item : items) {
        list.add(Stubs.tree(item));
      }
      return finish(r -> list.stream().map(JsonNode::deepCopy).toList());
    }

    /** The listing fails with {@code message}. */
    public HostCapabilityStubs fails(String message) {
      return finish(failing(message));
    }

    private HostCapabilityStubs finish(Function<JsonNode, Object> answer) {
      ObjectNode want = object().put("apiVersion", apiVersion).put("kind", kind);
      if (namespace != null) {
        want.put("namespace", namespace);
      }
      if (labelSelector != null) {
        want.put("labelSelector", labelSelector);
      }
      if (fieldSelector != null) {
        want.put("fieldSelector", fieldSelector);
      }
      String capability = namespace != null ? LIST_BY_NAMESPACE : LIST_ALL;
      add(
          new Stub(
              capability,
              capability + " " + Json.writeString(want),
              r -> Stubs.contains(r, want),
              answer,
              -1));
      return HostCapabilityStubs.this;
    }
  }

  /** A stubbed {@code can_i}; every field not set matches any value. */
  public final class CanIStub {
    private final ObjectNode want = object();

    private CanIStub() {}

    public CanIStub user(String user) {
      want.put("user", user);
      return this;
    }

    public CanIStub verb(String verb) {
      want.put("verb", verb);
      return this;
    }

    public CanIStub resource(String resource) {
      want.put("resource", resource);
      return this;
    }

    /** The API group of the resource ({@code ""} for the core group). */
    public CanIStub apiGroup(String group) {
      want.put("group", group);
      return this;
    }

    public CanIStub namespace(String namespace) {
      want.put("namespace", namespace);
      return this;
    }

    public CanIStub name(String name) {
      want.put("name", name);
      return this;
    }

    public CanIStub subresource(String subresource) {
      want.put("subresource", subresource);
      return this;
    }

    /** Allowed. */
    public HostCapabilityStubs allowed() {
      return allowed("");
    }

    /** Allowed, with a reason. */
    public HostCapabilityStubs allowed(String reason) {
      return finish(r -> AuthorizationDecision.allow(reason, "stub"));
    }

    /** Denied, with a reason. */
    public HostCapabilityStubs denied(String reason) {
      return finish(r -> AuthorizationDecision.deny(reason, "stub"));
    }

    /** Neither allowed nor denied. */
    public HostCapabilityStubs noOpinion() {
      return finish(r -> AuthorizationDecision.noOpinion(""));
    }

    /** The check fails with {@code message}. */
    public HostCapabilityStubs fails(String message) {
      return finish(failing(message));
    }

    private HostCapabilityStubs finish(Function<JsonNode, Object> answer) {
      ObjectNode copy = want.deepCopy();
      add(
          new Stub(
              CAN_I,
              CAN_I + " " + (copy.isEmpty() ? "(any)" : Json.writeString(copy)),
              r -> Stubs.contains(r, copy),
              answer,
              -1));
      return HostCapabilityStubs.this;
    }
  }

  /** A stubbed OCI lookup of one image. */
  public final class ImageStub {
    private final String capability;
    private final String image;

    private ImageStub(String capability, String image) {
      this.capability = capability;
      this.image = Objects.requireNonNull(image, "image");
    }

    /**
     * Answers with {@code answer}: the digest ({@code sha256:...}) for a manifest digest, else the
     * JSON document (YAML or JSON text, a map, a tree).
     */
    public HostCapabilityStubs returns(Object answer) {
      Object value =
          capability.equals(MANIFEST_DIGEST) ? String.valueOf(answer) : Stubs.tree(answer);
      return finish(r -> value instanceof JsonNode n ? n.deepCopy() : value);
    }

    /** The lookup fails with {@code message}. */
    public HostCapabilityStubs fails(String message) {
      return finish(failing(message));
    }

    private HostCapabilityStubs finish(Function<JsonNode, Object> answer) {
      add(
          new Stub(
              capability,
              capability + " \"" + image + "\"",
              r -> r.asText().equals(image),
              answer,
              -1));
      return HostCapabilityStubs.this;
    }
  }

  /** A stub answering every call of one capability. */
  public final class AnyRequestStub {
    private final String capability;

    private AnyRequestStub(String capability) {
      this.capability = capability;
    }

    /** Answers with this JSON document (YAML or JSON text, a map, a tree). */
    public HostCapabilityStubs returns(Object answer) {
      JsonNode value = Stubs.tree(answer);
      return finish(r -> value.deepCopy());
    }

    /** The call fails with {@code message}. */
    public HostCapabilityStubs fails(String message) {
      return finish(failing(message));
    }

    private HostCapabilityStubs finish(Function<JsonNode, Object> answer) {
      add(new Stub(capability, capability + " (any request)", r -> true, answer, -1));
      return HostCapabilityStubs.this;
    }
  }

  // ------------------------------------------------------------------------- the handlers

  /** The runtime's handler interfaces, answered by the stubs. */
  private final class Handlers
      implements DnsResolver, KubernetesContext, Authorizer, OciCapabilities, CryptoCapabilities {

    @Override
    public List<String> lookupHost(String host) {
      return Stubs.cast(answer(DNS, TextNode.valueOf(host)));
    }

    @Override
    public List<JsonNode> listResourcesByNamespace(ListResourcesRequest request) {
      return Stubs.cast(answer(LIST_BY_NAMESPACE, describe(request)));
    }

    @Override
    public List<JsonNode> listResourcesAll(ListResourcesRequest request) {
      return Stubs.cast(answer(LIST_ALL, describe(request)));
    }

    private JsonNode describe(ListResourcesRequest request) {
      ObjectNode r = object().put("apiVersion", request.apiVersion()).put("kind", request.kind());
      request.namespace().ifPresent(n -> r.put("namespace", n));
      request.labelSelector().ifPresent(s -> r.put("labelSelector", s));
      request.fieldSelector().ifPresent(s -> r.put("fieldSelector", s));
      return r;
    }

    @Override
    public Optional<JsonNode> getResource(GetResourceRequest request) {
      ObjectNode r =
          object()
              .put("apiVersion", request.apiVersion())
              .put("kind", request.kind())
              .put("name", request.name());
      request.namespace().ifPresent(n -> r.put("namespace", n));
      return Stubs.cast(answer(GET_RESOURCE, r));
    }

    @Override
    public AuthorizationDecision authorize(SubjectAccessReview review) {
      ObjectNode r = object();
      if (review.spec() != null) {
        Stubs.put(r, "user", review.spec().user());
        if (!review.spec().allGroups().isEmpty()) {
          review.spec().allGroups().forEach(r.putArray("groups")::add);
        }
        ResourceAttributes a = review.spec().resourceAttributes();
        if (a != null) {
          Stubs.put(r, "verb", a.verb());
          Stubs.put(r, "resource", a.resource());
          Stubs.put(r, "group", a.group());
          Stubs.put(r, "namespace", a.namespace());
          Stubs.put(r, "name", a.name());
          Stubs.put(r, "subresource", a.subresource());
        }
      }
      return Stubs.cast(answer(CAN_I, r));
    }

    @Override
    public String manifestDigest(String image) {
      return Stubs.cast(answer(MANIFEST_DIGEST, TextNode.valueOf(image)));
    }

    @Override
    public JsonNode manifest(String image) {
      return Stubs.cast(answer(MANIFEST, TextNode.valueOf(image)));
    }

    @Override
    public JsonNode manifestAndConfig(String image) {
      return Stubs.cast(answer(MANIFEST_CONFIG, TextNode.valueOf(image)));
    }

    @Override
    public JsonNode verify(int version, JsonNode request) {
      return Stubs.cast(answer(VERIFY, request));
    }

    @Override
    public JsonNode isCertificateTrusted(JsonNode request) {
      return Stubs.cast(answer(CERTIFICATE, request));
    }
  }
}
