package dev.k8swasm.kubewarden;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.admission.AdmissionRequest;
import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.json.Json;
import dev.k8swasm.kubewarden.capabilities.HostCapabilities;
import dev.k8swasm.kubewarden.capabilities.HostCapabilityException;
import dev.k8swasm.kubewarden.capabilities.KubernetesContext;
import dev.k8swasm.kubewarden.capabilities.SessionReplay;
import dev.k8swasm.kubewarden.metadata.ContextAwareResource;
import dev.k8swasm.kubewarden.metadata.PolicyMetadata;
import dev.k8swasm.module.ModuleSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The context-aware test policy examples/modules/kubewarden/unique_ingress.wasm: it lists every
 * Ingress through {@code kubernetes/list_resources_all} and rejects a host another Ingress uses.
 */
class UniqueIngressPolicyTest {
  static final Path POLICY = TestPolicies.POLICIES.resolve("unique_ingress.wasm");
  static final ContextAwareResource INGRESS =
      new ContextAwareResource("networking.k8s.io/v1", "Ingress");

  /** A cluster of Ingresses, answering list_resources_all for networking.k8s.io/v1 Ingress. */
  static final class Cluster implements KubernetesContext {
    final List<JsonNode> ingresses = new CopyOnWriteArrayList<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    Supplier<RuntimeException> failure;

    @Override
    public List<JsonNode> listResourcesByNamespace(ListResourcesRequest request) {
      throw new HostCapabilityException("not expected: list_resources_by_namespace");
    }

    @Override
    public List<JsonNode> listResourcesAll(ListResourcesRequest request) {
      calls.add(request.apiVersion() + "/" + request.kind());
      if (failure != null) {
        throw failure.get();
      }
      return List.copyOf(ingresses);
    }

    @Override
    public Optional<JsonNode> getResource(GetResourceRequest request) {
      throw new HostCapabilityException("not expected: get_resource");
    }
  }

  static ObjectNode ingress(String namespace, String name, String... hosts) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("apiVersion", "networking.k8s.io/v1").put("kind", "Ingress");
    o.putObject("metadata").put("name", name).put("namespace", namespace);
    ArrayNode rules = o.putObject("spec").putArray("rules");
    for (String h : hosts) {
      rules.addObject().put("host", h).putObject("http");
    }
    return o;
  }

  static AdmissionRequest request(String operation, ObjectNode ingress) {
    ObjectNode r = (ObjectNode) TestPolicies.requestJson("ingress-create.json").get("request");
    r.put("operation", operation);
    r.put("namespace", ingress.path("metadata").path("namespace").asText());
    r.put("name", ingress.path("metadata").path("name").asText());
    r.set("object", ingress);
    return Json.convert(r, AdmissionRequest.class);
  }

  static KubewardenPolicy load(HostCapabilities host, String... grants) {
    ModuleSpec.Builder spec =
        TestPolicies.spec(POLICY)
            .option("allowedHostCapabilities", TestPolicies.parse("[\"*\"]"))
            .extension(HostCapabilities.class, host);
    if (grants.length > 0) {
      spec.option("contextAwareResources", TestPolicies.parse(grants[0]));
    }
    return KubewardenPolicy.load(spec.build());
  }

  static KubewardenPolicy load(Cluster cluster) {
    return load(HostCapabilities.builder().kubernetes(cluster).build());
  }

  @Test
  void metadataDeclaresTheIngressResource() {
    PolicyMetadata metadata =
        PolicyMetadata.of(com.dylibso.chicory.wasm.Parser.parse(POLICY)).orElseThrow();
    assertThat(metadata.contextAwareResources()).containsExactly(INGRESS);
    assertThat(metadata.hostCapabilities()).contains(List.of("kubernetes/list_resources_all"));
    assertThat(metadata.mutating()).isFalse();
  }

  @Test
  void aHostUsedByAnotherIngressInAnyNamespaceIsRejected() {
    Cluster cluster = new Cluster();
    cluster.ingresses.add(ingress("default", "blog", "blog.example.com"));
    cluster.ingresses.add(ingress("shop-old", "web", "www.example.com", "shop.example.com"));
    try (KubewardenPolicy policy = load(cluster)) {
      AdmissionResponse denied =
          policy.validate(request("CREATE", ingress("shop", "web", "shop.example.com")));
      assertThat(denied.allowed()).isFalse();
      assertThat(denied.status().message())
          .isEqualTo("host shop.example.com is already used by Ingress shop-old/web");
      AdmissionResponse unique =
          policy.validate(request("CREATE", ingress("shop", "web", "new.example.com")));
      assertThat(unique.allowed()).isTrue();
      assertThat(unique.status()).isNull();
      assertThat(cluster.calls)
          .containsExactly("networking.k8s.io/v1/Ingress", "networking.k8s.io/v1/Ingress");
    }
  }

  @Test
  void theIngressUnderReviewDoesNotConflictWithItself() {
    Cluster cluster = new Cluster();
    cluster.ingresses.add(ingress("shop", "web", "shop.example.com"));
    try (KubewardenPolicy policy = load(cluster)) {
      assertThat(
              policy
                  .validate(request("UPDATE", ingress("shop", "web", "shop.example.com")))
                  .allowed())
          .isTrue();
      // same name in another namespace is another Ingress
      assertThat(
              policy
                  .validate(request("CREATE", ingress("shop2", "web", "shop.example.com")))
                  .status()
                  .message())
          .isEqualTo("host shop.example.com is already used by Ingress shop/web");
    }
  }

  @Test
  void noHostsNoObjectNoHostCall() {
    Cluster cluster = new Cluster();
    cluster.ingresses.add(ingress("shop", "web", "shop.example.com"));
    try (KubewardenPolicy policy = load(cluster)) {
      assertThat(policy.validate(request("CREATE", ingress("shop", "default-backend"))).allowed())
          .isTrue();
      ObjectNode delete =
          (ObjectNode) TestPolicies.requestJson("ingress-create.json").get("request");
      delete.put("operation", "DELETE");
      delete.set("oldObject", delete.get("object"));
      delete.putNull("object");
      assertThat(policy.validate(Json.convert(delete, AdmissionRequest.class)).allowed()).isTrue();
      assertThat(cluster.calls).isEmpty();
    }
  }

  @Test
  void aFailedListRejectsWithTheHostError() {
    Cluster cluster = new Cluster();
    cluster.failure =
        () -> new HostCapabilityException("the API server at https://127.0.0.1:1 is unreachable");
    try (KubewardenPolicy policy = load(cluster)) {
      AdmissionResponse response =
          policy.validate(request("CREATE", ingress("shop", "web", "shop.example.com")));
      assertThat(response.allowed()).isFalse();
      assertThat(response.status().message())
          .isEqualTo(
              "cannot check that the hosts are unique: Callback evaluation failure: the API server"
                  + " at https://127.0.0.1:1 is unreachable");
    }
  }

  @Test
  void withoutTheIngressGrantTheListIsRefused() {
    Cluster cluster = new Cluster();
    try (KubewardenPolicy policy =
        load(HostCapabilities.builder().kubernetes(cluster).build(), "[]")) {
      AdmissionResponse response =
          policy.validate(request("CREATE", ingress("shop", "web", "shop.example.com")));
      assertThat(response.status().message())
          .isEqualTo(
              "cannot check that the hosts are unique: Policy has not been granted access to"
                  + " Kubernetes networking.k8s.io/v1/Ingress resources. The violation has been"
                  + " reported.");
      assertThat(cluster.calls).isEmpty();
    }
  }

  @Test
  void kwctlsOwnSessionsGiveKwctlsAnswers() {
    // kwctl's test_run_context: allowed:false with the duplicate session, true without
    for (var c : List.of(List.of("duplicate", "false"), List.of("no-duplicate", "true"))) {
      Path session =
          TestPolicies.REQUESTS.resolve("kwctl/context-aware-unique-ingress-" + c.get(0) + ".yml");
      try (KubewardenPolicy policy =
          load(HostCapabilities.builder().replay(SessionReplay.fromFile(session)).build())) {
        AdmissionResponse response = policy.validate(TestPolicies.request("kwctl/ingress.json"));
        assertThat(response.allowed()).as(c.get(0)).isEqualTo(Boolean.parseBoolean(c.get(1)));
        if (!response.allowed()) {
          assertThat(response.status().message())
              .isEqualTo("host foo.bar.com is already used by Ingress default/test");
        }
      }
    }
  }

  /** One Ingress of a generated cluster: namespace, name and hosts from small alphabets. */
  record Spec(String namespace, String name, List<String> hosts) {
    ObjectNode node() {
      return ingress(namespace, name, hosts.toArray(String[]::new));
    }
  }

  @Provide
  Arbitrary<Spec> ingressSpec() {
    return Combinators.combine(
            Arbitraries.of("a", "b"),
            Arbitraries.of("x", "y"),
            Arbitraries.of("h1.example.com", "h2.example.com", "h3.example.com", "h4.example.com")
                .list()
                .ofMaxSize(3))
        .as(Spec::new);
  }

  @Provide
  Arbitrary<List<Spec>> clusterSpec() {
    return ingressSpec().list().ofMaxSize(5);
  }

  @Property(tries = 60)
  void rejectsExactlyWhenAnotherIngressSharesAHost(
      @ForAll("ingressSpec") Spec review, @ForAll("clusterSpec") List<Spec> cluster) {
    Cluster c = new Cluster();
    cluster.forEach(s -> c.ingresses.add(s.node()));
    String expected = null;
    for (String host : review.hosts()) {
      for (Spec other : cluster) {
        boolean itself =
            other.namespace().equals(review.namespace()) && other.name().equals(review.name());
        if (expected == null && !itself && other.hosts().contains(host)) {
          expected =
              "host "
                  + host
                  + " is already used by Ingress "
                  + other.namespace()
                  + "/"
                  + other.name();
        }
      }
    }
    List<String> messages = new ArrayList<>();
    try (KubewardenPolicy policy = load(c)) {
      AdmissionResponse response = policy.validate(request("CREATE", review.node()));
      messages.add(response.status() == null ? null : response.status().message());
      assertThat(response.allowed()).isEqualTo(expected == null);
    }
    assertThat(messages.get(0)).isEqualTo(expected);
  }
}
