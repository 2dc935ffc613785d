package dev.k8swasm.testing.kubewarden;

import static dev.k8swasm.testing.WasmAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.kubewarden.capabilities.KubernetesContext;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleType;
import dev.k8swasm.testing.Fixtures;
import dev.k8swasm.testing.Policy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * Host capability stubs, with the Kubewarden test policy of {@code examples/modules/kubewarden}.
 */
class HostCapabilityStubsTest {
  static final String POLICY = "../examples/modules/kubewarden/policy_wapc_start.wasm";
  static final String SESSION = "../examples/requests/kubewarden/session-dns.yml";

  private final AdmissionReview pod =
      Fixtures.admissionReview("../examples/requests/kubewarden/pod-create.json");

  @BeforeEach
  void kubewardenRuntime() {
    assumeTrue(ModuleRuntimes.types().contains(ModuleType.KUBEWARDEN), "no kubewarden runtime");
  }

  private static Policy load(HostCapabilityStubs stubs, String settings) {
    return stubs
        .installOn(
            Policy.builder(POLICY)
                .type("kubewarden")
                .settings(settings)
                .option("allowedHostCapabilities", "['*']"))
        .load();
  }

  @Test
  void answersADnsLookup() {
    HostCapabilityStubs stubs =
        HostCapabilityStubs.create().dnsLookup("example.com").returns("192.0.2.1", "192.0.2.2");
    try (Policy policy = load(stubs, "{dnsLookup: example.com}")) {
      assertThat(policy.admit(pod)).isAllowed().hasWarnings("dns:example.com=192.0.2.1");
      stubs.verify();
      assertThat(stubs.calls())
          .singleElement()
          .hasToString("net/v1/dns_lookup_host \"example.com\"");
    }
  }

  @Test
  void aFailingStubIsAHostError() {
    HostCapabilityStubs stubs =
        HostCapabilityStubs.create().dnsLookup("example.com").fails("NXDOMAIN");
    try (Policy policy = load(stubs, "{dnsLookup: example.com}")) {
      assertThat(policy.admit(pod))
          .isAllowed()
          .hasWarningContaining("dns-error:")
          .hasWarningContaining("NXDOMAIN");
      stubs.verify();
    }
  }

  @Test
  void anUnexpectedCallIsAnErrorForThePolicyAndFailsVerification() {
    HostCapabilityStubs stubs =
        HostCapabilityStubs.create().dnsLookup("other.example").returns("192.0.2.9");
    try (Policy policy = load(stubs, "{dnsLookup: example.com}")) {
      assertThat(policy.admit(pod))
          .isAllowed()
          .hasWarningContaining(
              "unexpected host capability call net/v1/dns_lookup_host \"example.com\"");
      assertThatThrownBy(stubs::verify)
          .isInstanceOf(AssertionFailedError.class)
          .hasMessageContaining("The policy made host capability calls that nothing stubbed:")
          .hasMessageContaining("- net/v1/dns_lookup_host \"example.com\"")
          .hasMessageContaining("Stubbed:\n  - net/v1/dns_lookup_host \"other.example\"");
      stubs.reset();
      stubs.verify();
      assertThat(stubs.calls()).isEmpty();
    }
  }

  @Test
  void replaysAKwctlSessionOnce() {
    HostCapabilityStubs stubs = HostCapabilityStubs.create().replay(SESSION);
    try (Policy policy = load(stubs, "{dnsLookup: example.com}")) {
      assertThat(policy.admit(pod)).hasWarnings("dns:example.com=93.184.215.14");
      assertThat(policy.admit(pod)).hasWarningContaining("unexpected host capability call");
      assertThatThrownBy(stubs::verify).hasMessageContaining("(replayed) (used up)");
    }
  }

  @Test
  void keptStubsSurviveAReset() {
    HostCapabilityStubs stubs = HostCapabilityStubs.create().replay(SESSION).keepAcrossTests();
    try (Policy policy = load(stubs, "{dnsLookup: example.com}")) {
      assertThat(policy.admit(pod)).hasWarnings("dns:example.com=93.184.215.14");
      stubs.reset();
      assertThat(policy.admit(pod)).hasWarnings("dns:example.com=93.184.215.14");
      stubs.verify();
    }
  }

  @Test
  void answersCanIAndGetResource() {
    HostCapabilityStubs stubs =
        HostCapabilityStubs.create()
            .canI()
            .user("alice")
            .verb("create")
            .resource("pods")
            .namespace("default")
            .allowed()
            .getResource("v1", "Namespace", "default")
            .returns("{apiVersion: v1, kind: Namespace, metadata: {name: default}}");
    String settings =
        """
        canI: {user: alice, verb: create, resource: pods, namespace: default}
        contextResource: {api_version: v1, kind: Namespace, name: default}
        """;
    try (Policy policy = load(stubs, settings)) {
      assertThat(policy.admit(pod)).isAllowed().hasWarnings("can-i:allowed", "context:default");
      stubs.verify();
    }
  }

  @Test
  void aMissingResourceRejects() {
    HostCapabilityStubs stubs =
        HostCapabilityStubs.create().getResource("v1", "Namespace", "default").notFound();
    try (Policy policy =
        load(stubs, "{contextResource: {api_version: v1, kind: Namespace, name: default}}")) {
      assertThat(policy.admit(pod))
          .isDenied()
          .withMessageContaining("context error:")
          .withMessageContaining("not found");
    }
  }

  @Test
  void listsAndOciAndCryptoAreStubbable() {
    HostCapabilityStubs stubs =
        HostCapabilityStubs.create()
            .listResources("v1", "Pod")
            .inNamespace("shop")
            .withLabelSelector("app=web")
            .returns("{metadata: {name: a}}")
            .manifestDigest("ghcr.io/x:1")
            .returns("sha256:abc")
            .ociManifest("ghcr.io/x:1")
            .returns("{schemaVersion: 2}")
            .sigstoreVerify()
            .returns("{is_trusted: true, digest: 'sha256:abc'}")
            .certificateTrusted()
            .returns("{trusted: true, reason: null}");
    var handlers = stubs.hostCapabilities();
    var k8s = handlers.kubernetes().orElseThrow();
    var list =
        k8s.listResourcesByNamespace(
            KubernetesContext.ListResourcesRequest.builder("v1", "Pod")
                .namespace("shop")
                .labelSelector("app=web")
                .build());
    assertThat(list)
        .singleElement()
        .satisfies(n -> assertThat(n.path("metadata").path("name").asText()).isEqualTo("a"));
    var oci = handlers.oci().orElseThrow();
    assertThat(oci.manifestDigest("ghcr.io/x:1")).isEqualTo("sha256:abc");
    assertThat(oci.manifest("ghcr.io/x:1").path("schemaVersion").asInt()).isEqualTo(2);
    assertThat(oci.verify(2, JsonNodeFactory.instance.objectNode()).path("is_trusted").asBoolean())
        .isTrue();
    assertThat(
            handlers
                .crypto()
                .orElseThrow()
                .isCertificateTrusted(JsonNodeFactory.instance.objectNode())
                .path("trusted")
                .asBoolean())
        .isTrue();
    assertThatThrownBy(() -> oci.manifestDigest("ghcr.io/other:1"))
        .hasMessageContaining(
            "unexpected host capability call oci/v1/manifest_digest \"ghcr.io/other:1\"");
    assertThat(stubs.unexpectedCalls()).hasSize(1);
  }
}
