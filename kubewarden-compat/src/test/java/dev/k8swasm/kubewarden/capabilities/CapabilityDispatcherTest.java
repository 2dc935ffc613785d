package dev.k8swasm.kubewarden.capabilities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.authz.AuthorizationDecision;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.json.Json;
import dev.k8swasm.kubewarden.metadata.ContextAwareResource;
import dev.k8swasm.kubewarden.session.Exchange;
import dev.k8swasm.kubewarden.session.SessionRecorder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The host capabilities: grants, dispatch, handlers, Kubewarden's error texts. */
class CapabilityDispatcherTest {
  static final Set<ContextAwareResource> PODS = Set.of(new ContextAwareResource("v1", "Pod"));

  static JsonNode json(String text) {
    return Json.readTree(text.getBytes(StandardCharsets.UTF_8));
  }

  static CapabilityDispatcher dispatcher(HostCapabilities host, String... allowed) {
    return new CapabilityDispatcher("p", HostCapabilityAllowList.of(List.of(allowed)), PODS, host);
  }

  static String call(CapabilityDispatcher d, String ns, String op, String payload) {
    return new String(
        d.call("kubewarden", ns, op, payload.getBytes(StandardCharsets.UTF_8)),
        StandardCharsets.UTF_8);
  }

  static void fails(CapabilityDispatcher d, String ns, String op, String payload, String message) {
    assertThatThrownBy(() -> call(d, ns, op, payload))
        .isInstanceOf(HostCapabilityException.class)
        .hasMessage(message);
  }

  @Test
  void allowListPatterns() {
    HostCapabilityAllowList list =
        HostCapabilityAllowList.of(List.of("oci/v2/*", "net/v1/dns_lookup_host", "kubernetes/*"));
    assertThat(list.allows("oci/v2/verify")).isTrue();
    assertThat(list.allows("oci/v1/verify")).isFalse();
    assertThat(list.allows("net/v1/dns_lookup_host")).isTrue();
    assertThat(list.allows("net/v1/dns_lookup_hostx")).isFalse();
    assertThat(list.allows("kubernetes/can_i")).isTrue();
    assertThat(list.allows("kubernetesx/can_i")).isFalse();
    assertThat(HostCapabilityAllowList.allowAll().allows("anything/at/all")).isTrue();
    assertThat(HostCapabilityAllowList.denyAll().allows("net/v1/dns_lookup_host")).isFalse();
    assertThat(HostCapabilityAllowList.of(List.of("oci/*")).allows("oci/v1/manifest_digest"))
        .isTrue();
    for (String bad :
        List.of(
            "",
            "  ",
            "oci*",
            "*/verify",
            "oci/*/verify",
            "/*",
            "/oci",
            "a//b",
            "oci/v1/oci_*",
            "oci/v99/verify",
            "unknown/*",
            "oci",
            "oci/v1",
            "kubernetes/can_i/*",
            "kubernetes/nonexistent")) {
      assertThatThrownBy(() -> HostCapabilityAllowList.of(List.of(bad)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void denyByDefaultExceptTracing() {
    CapabilityDispatcher d = dispatcher(HostCapabilities.defaults());
    fails(
        d,
        "net",
        "v1/dns_lookup_host",
        "\"localhost\"",
        "Policy has not been granted access to the 'net/v1/dns_lookup_host' host capability. The"
            + " violation has been reported.");
    assertThat(call(d, "tracing", "log", "{\"level\":\"info\",\"message\":\"hi\",\"x\":1}"))
        .isEmpty();
    assertThat(call(d, "tracing", "log", "not json")).isEmpty();
  }

  @Test
  void unknownBindingNamespaceOperation() {
    CapabilityDispatcher d = dispatcher(HostCapabilities.defaults(), "*");
    assertThatThrownBy(() -> d.call("other", "net", "v1/dns_lookup_host", new byte[0]))
        .hasMessage("unknown binding: other");
    fails(d, "nope", "x", "{}", "unknown namespace: nope");
    fails(d, "net", "v2/dns", "{}", "unknown operation: v2/dns");
    fails(d, "tracing", "print", "{}", "unknown operation: print");
    fails(d, "kubernetes", "delete", "{}", "unknown operation: delete");
    fails(d, "oci", "v3/verify", "{}", "unknown operation: v3/verify");
    fails(d, "crypto", "v2/x", "{}", "unknown operation: v2/x");
  }

  @Test
  void dnsThroughTheJdkResolverByDefault() {
    CapabilityDispatcher d = dispatcher(HostCapabilities.defaults(), "net/*");
    JsonNode answer = json(call(d, "net", "v1/dns_lookup_host", "\"localhost\""));
    assertThat(answer.get("ips")).isNotEmpty();
    assertThat(answer.get("ips").toString()).containsAnyOf("127.0.0.1", "::1", "0:0:0:0:0:0:0:1");
    assertThatThrownBy(() -> call(d, "net", "v1/dns_lookup_host", "\"nx.invalid\""))
        .hasMessageStartingWith(
            "Callback evaluation failure: failed to lookup address information");
    fails(
        d,
        "net",
        "v1/dns_lookup_host",
        "{\"host\":1}",
        "invalid request for net/v1/dns_lookup_host: expected a JSON string");
  }

  static final JsonNode POD =
      json(
          "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"namespace\":\"n\",\"labels\":{\"a\":\"b\"}},"
              + "\"spec\":{\"containers\":[{\"name\":\"c1\",\"image\":\"i1\"},{\"name\":\"c2\",\"image\":\"i2\"}]}}");

  @Test
  void kubernetesThroughTheEmbeddersContextWithGateAndFieldMasks() {
    List<Object> requests = new ArrayList<>();
    KubernetesContext k8s =
        new KubernetesContext() {
          @Override
          public List<JsonNode> listResourcesByNamespace(ListResourcesRequest r) {
            requests.add(r);
            return List.of(POD);
          }

          @Override
          public List<JsonNode> listResourcesAll(ListResourcesRequest r) {
            requests.add(r);
            return List.of(POD, POD);
          }

          @Override
          public Optional<JsonNode> getResource(GetResourceRequest r) {
            requests.add(r);
            return r.name().equals("p") ? Optional.of(POD) : Optional.empty();
          }
        };
    CapabilityDispatcher d =
        dispatcher(HostCapabilities.builder().kubernetes(k8s).build(), "kubernetes/*");
    JsonNode list =
        json(
            call(
                d,
                "kubernetes",
                "list_resources_by_namespace",
                "{\"api_version\":\"v1\",\"kind\":\"Pod\",\"namespace\":\"n\",\"label_selector\":\"a=b\","
                    + "\"field_masks\":[\"metadata.name\",\"spec.containers.image\"]}"));
    assertThat(list)
        .isEqualTo(
            json(
                "{\"apiVersion\":\"v1\",\"kind\":\"PodList\",\"metadata\":{},\"items\":[{\"metadata\":{\"name\":\"p\"},"
                    + "\"spec\":{\"containers\":[{\"image\":\"i1\"},{\"image\":\"i2\"}]}}]}"));
    assertThat(requests.get(0))
        .isEqualTo(
            KubernetesContext.ListResourcesRequest.builder("v1", "Pod")
                .namespace("n")
                .labelSelector("a=b")
                .build());
    assertThat(
            json(call(
                    d,
                    "kubernetes",
                    "list_resources_all",
                    "{\"api_version\":\"v1\",\"kind\":\"Pod\"}"))
                .get("items"))
        .hasSize(2);
    assertThat(
            json(
                call(
                    d,
                    "kubernetes",
                    "get_resource",
                    "{\"api_version\":\"v1\",\"kind\":\"Pod\",\"name\":\"p\",\"namespace\":\"n\",\"disable_cache\":true}")))
        .isEqualTo(POD);
    assertThat(requests.get(2))
        .isEqualTo(
            KubernetesContext.GetResourceRequest.builder("v1", "Pod", "p")
                .namespace("n")
                .disableCache(true)
                .build());
    fails(
        d,
        "kubernetes",
        "get_resource",
        "{\"api_version\":\"v1\",\"kind\":\"Pod\",\"name\":\"q\",\"namespace\":\"n\",\"disable_cache\":false}",
        "Callback evaluation failure: Pod \"q\" not found in namespace \"n\"");
    fails(
        d,
        "kubernetes",
        "get_resource",
        "{\"api_version\":\"v1\",\"kind\":\"Secret\",\"name\":\"s\",\"disable_cache\":false}",
        "Policy has not been granted access to Kubernetes v1/Secret resources. The violation has"
            + " been reported.");
    fails(
        d,
        "kubernetes",
        "list_resources_all",
        "{\"api_version\":\"apps/v1\",\"kind\":\"Pod\"}",
        "Policy has not been granted access to Kubernetes apps/v1/Pod resources. The violation"
            + " has been reported.");
    fails(
        d,
        "kubernetes",
        "list_resources_by_namespace",
        "{\"api_version\":\"v1\",\"kind\":\"Pod\"}",
        "invalid request for kubernetes/list_resources_by_namespace: 'namespace' must be a string");
  }

  @Test
  void capabilitiesWithoutAHandlerAreNotAvailable() {
    CapabilityDispatcher d = dispatcher(HostCapabilities.defaults(), "*");
    fails(
        d,
        "kubernetes",
        "get_resource",
        "{\"api_version\":\"v1\",\"kind\":\"Pod\",\"name\":\"p\"}",
        "Callback evaluation failure: host capability 'kubernetes/get_resource' is not available:"
            + " the host was not given a handler for it (HostCapabilities.Builder.kubernetes)");
    fails(
        d,
        "kubernetes",
        "can_i",
        "{\"subject_access_review\":{\"user\":\"u\",\"resource_attributes\":{\"verb\":\"get\",\"resource\":\"pods\"}},\"disable_cache\":false}",
        "Callback evaluation failure: host capability 'kubernetes/can_i' is not available: the"
            + " host was not given a handler for it (HostCapabilities.Builder.authorizer)");
    fails(
        d,
        "oci",
        "v1/manifest_digest",
        "\"ghcr.io/x:1\"",
        "Callback evaluation failure: host capability 'oci/v1/manifest_digest' is not available:"
            + " the host was not given a handler for it (HostCapabilities.Builder.oci)");
    fails(
        d,
        "crypto",
        "v1/is_certificate_trusted",
        "{\"cert\":{\"encoding\":\"Pem\",\"data\":[]}}",
        "Callback evaluation failure: host capability 'crypto/v1/is_certificate_trusted' is not"
            + " available: the host was not given a handler for it"
            + " (HostCapabilities.Builder.crypto)");
    // an OCI handler implementing only some operations
    CapabilityDispatcher partial =
        dispatcher(HostCapabilities.builder().oci(new OciCapabilities() {}).build(), "oci/*");
    fails(
        partial,
        "oci",
        "v2/verify",
        "{\"type\":\"SigstorePubKeyVerify\",\"image\":\"x\"}",
        "Callback evaluation failure: host capability 'oci/v2/verify' is not available: the host"
            + " was not given a handler for it (HostCapabilities.Builder.oci)");
  }

  @Test
  void canIIsAnsweredByAnAuthorizer() {
    AtomicReference<SubjectAccessReview> asked = new AtomicReference<>();
    CapabilityDispatcher d =
        dispatcher(
            HostCapabilities.builder()
                .authorizer(
                    review -> {
                      asked.set(review);
                      return review.spec().user().equals("alice")
                          ? AuthorizationDecision.allow("RBAC: allowed", "rbac")
                          : AuthorizationDecision.deny("nope", "rbac");
                    })
                .build(),
            "kubernetes/can_i");
    String request =
        "{\"subject_access_review\":{\"user\":\"alice\",\"groups\":[\"g\"],\"resource_attributes\":"
            + "{\"verb\":\"create\",\"resource\":\"pods\",\"namespace\":\"default\",\"group\":\"\",\"subresource\":\"log\"}},"
            + "\"disable_cache\":false}";
    assertThat(json(call(d, "kubernetes", "can_i", request)))
        .isEqualTo(json("{\"allowed\":true,\"reason\":\"RBAC: allowed\"}"));
    assertThat(asked.get().spec().user()).isEqualTo("alice");
    assertThat(asked.get().spec().groups()).containsExactly("g");
    assertThat(asked.get().spec().resourceAttributes().verb()).isEqualTo("create");
    assertThat(asked.get().spec().resourceAttributes().namespace()).isEqualTo("default");
    assertThat(asked.get().spec().resourceAttributes().subresource()).isEqualTo("log");
    assertThat(json(call(d, "kubernetes", "can_i", request.replace("alice", "bob"))))
        .isEqualTo(json("{\"allowed\":false,\"denied\":true,\"reason\":\"nope\"}"));
    fails(
        d,
        "kubernetes",
        "can_i",
        "{\"subject_access_review\":{\"resource_attributes\":{}}}",
        "invalid request for kubernetes/can_i: 'user' must be a string");
  }

  @Test
  void canIWithDisableCacheAsksACachingAuthorizerUncached() {
    List<String> answeredBy = new ArrayList<>();
    CachingAuthorizer caching =
        new CachingAuthorizer() {
          @Override
          public AuthorizationDecision authorize(SubjectAccessReview review) {
            answeredBy.add("cache");
            return AuthorizationDecision.allow("cached", "test");
          }

          @Override
          public dev.k8swasm.authz.Authorizer uncached() {
            return review -> {
              answeredBy.add("server");
              return AuthorizationDecision.deny("fresh", "test");
            };
          }
        };
    CapabilityDispatcher d =
        dispatcher(HostCapabilities.builder().authorizer(caching).build(), "kubernetes/can_i");
    String request =
        "{\"subject_access_review\":{\"user\":\"alice\",\"resource_attributes\":"
            + "{\"verb\":\"get\",\"resource\":\"pods\"}},\"disable_cache\":false}";
    assertThat(json(call(d, "kubernetes", "can_i", request)).path("allowed").asBoolean()).isTrue();
    assertThat(
            json(call(d, "kubernetes", "can_i", request.replace("false}", "true}")))
                .path("allowed")
                .asBoolean())
        .isFalse();
    assertThat(answeredBy).containsExactly("cache", "server");
  }

  @Test
  void ociAndCryptoHandlers() {
    CapabilityDispatcher d =
        dispatcher(
            HostCapabilities.builder()
                .oci(
                    new OciCapabilities() {
                      @Override
                      public String manifestDigest(String image) {
                        if (image.equals("bad")) {
                          throw new HostCapabilityException("manifest unknown");
                        }
                        return "sha256:" + image;
                      }

                      @Override
                      public JsonNode manifest(String image) {
                        return json("{\"schemaVersion\":2}");
                      }

                      @Override
                      public JsonNode manifestAndConfig(String image) {
                        return json("{\"manifest\":{},\"digest\":\"d\",\"config\":{}}");
                      }

                      @Override
                      public JsonNode verify(int version, JsonNode request) {
                        return json("{\"is_trusted\":true,\"digest\":\"v" + version + "\"}");
                      }
                    })
                .crypto(request -> json("{\"trusted\":true,\"reason\":null}"))
                .build(),
            "oci/*",
            "crypto/v1/is_certificate_trusted");
    assertThat(call(d, "oci", "v1/manifest_digest", "\"abc\""))
        .isEqualTo("{\"digest\":\"sha256:abc\"}");
    fails(
        d, "oci", "v1/manifest_digest", "\"bad\"", "Callback evaluation failure: manifest unknown");
    assertThat(call(d, "oci", "v1/oci_manifest", "\"x\"")).isEqualTo("{\"schemaVersion\":2}");
    assertThat(json(call(d, "oci", "v1/oci_manifest_config", "\"x\"")).get("digest").asText())
        .isEqualTo("d");
    assertThat(call(d, "oci", "v1/verify", "{\"type\":\"SigstoreKeylessVerify\",\"image\":\"x\"}"))
        .isEqualTo("{\"is_trusted\":true,\"digest\":\"v1\"}");
    assertThat(call(d, "oci", "v2/verify", "{\"type\":\"SigstoreKeylessVerify\",\"image\":\"x\"}"))
        .isEqualTo("{\"is_trusted\":true,\"digest\":\"v2\"}");
    assertThat(
            call(
                d,
                "crypto",
                "v1/is_certificate_trusted",
                "{\"cert\":{\"encoding\":\"Pem\",\"data\":[1]}}"))
        .isEqualTo("{\"trusted\":true,\"reason\":null}");
  }

  @Test
  void everyExchangeIsRecordedButDenialsAreNot() {
    SessionRecorder recorder = SessionRecorder.inMemory();
    CapabilityDispatcher d =
        dispatcher(
            HostCapabilities.builder()
                .dns(
                    host -> {
                      if (host.equals("a.example")) {
                        return List.of("10.0.0.1");
                      }
                      throw new HostCapabilityException("no such host");
                    })
                .record(recorder)
                .build(),
            "net/*");
    call(d, "net", "v1/dns_lookup_host", "\"a.example\"");
    assertThatThrownBy(() -> call(d, "net", "v1/dns_lookup_host", "\"b.example\""));
    CapabilityDispatcher denied =
        new CapabilityDispatcher(
            "p",
            HostCapabilityAllowList.denyAll(),
            PODS,
            HostCapabilities.builder().record(recorder).build());
    assertThatThrownBy(() -> call(denied, "net", "v1/dns_lookup_host", "\"a.example\""));
    List<Exchange> exchanges = recorder.exchanges();
    assertThat(exchanges).hasSize(2);
    assertThat(exchanges.get(0).request().toYaml()).isEqualTo("!DNSLookupHost\nhost: a.example\n");
    assertThat(exchanges.get(0).payload()).contains("{\"ips\":[\"10.0.0.1\"]}");
    assertThat(exchanges.get(1).success()).isFalse();
    assertThat(exchanges.get(1).message()).contains("no such host");
  }

  @Test
  void fieldMasks() {
    assertThat(FieldMasks.apply(POD, List.of())).isSameAs(POD);
    assertThat(
            FieldMasks.apply(
                POD, List.of("metadata.labels.a", "kind", "missing.path", "spec.containers.name")))
        .isEqualTo(
            json(
                "{\"metadata\":{\"labels\":{\"a\":\"b\"}},\"kind\":\"Pod\",\"spec\":{\"containers\":[{\"name\":\"c1\"},{\"name\":\"c2\"}]}}"));
    assertThat(FieldMasks.apply(POD, List.of("spec.containers")).get("spec").get("containers"))
        .hasSize(2);
  }
}
