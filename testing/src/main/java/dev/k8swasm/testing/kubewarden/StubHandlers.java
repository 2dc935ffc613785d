package dev.k8swasm.testing.kubewarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.k8swasm.authz.AuthorizationDecision;
import dev.k8swasm.authz.Authorizer;
import dev.k8swasm.authz.ResourceAttributes;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.kubewarden.capabilities.CryptoCapabilities;
import dev.k8swasm.kubewarden.capabilities.DnsResolver;
import dev.k8swasm.kubewarden.capabilities.KubernetesContext;
import dev.k8swasm.kubewarden.capabilities.OciCapabilities;
import java.util.List;
import java.util.Optional;

/**
 * The Kubewarden runtime's host capability handlers, each call described as JSON and answered by a
 * {@link StubRegistry}.
 */
final class StubHandlers
    implements DnsResolver, KubernetesContext, Authorizer, OciCapabilities, CryptoCapabilities {
  private final StubRegistry registry;

  StubHandlers(StubRegistry registry) {
    this.registry = registry;
  }

  @Override
  public List<String> lookupHost(String host) {
    return Stubs.cast(registry.answer(Stub.DNS, TextNode.valueOf(host)));
  }

  @Override
  public List<JsonNode> listResourcesByNamespace(ListResourcesRequest request) {
    return Stubs.cast(registry.answer(Stub.LIST_BY_NAMESPACE, describe(request)));
  }

  @Override
  public List<JsonNode> listResourcesAll(ListResourcesRequest request) {
    return Stubs.cast(registry.answer(Stub.LIST_ALL, describe(request)));
  }

  private JsonNode describe(ListResourcesRequest request) {
    ObjectNode r =
        JsonNodeFactory.instance
            .objectNode()
            .put("apiVersion", request.apiVersion())
            .put("kind", request.kind());
    request.namespace().ifPresent(n -> r.put("namespace", n));
    request.labelSelector().ifPresent(s -> r.put("labelSelector", s));
    request.fieldSelector().ifPresent(s -> r.put("fieldSelector", s));
    return r;
  }

  @Override
  public Optional<JsonNode> getResource(GetResourceRequest request) {
    ObjectNode r =
        JsonNodeFactory.instance
            .objectNode()
            .put("apiVersion", request.apiVersion())
            .put("kind", request.kind())
            .put("name", request.name());
    request.namespace().ifPresent(n -> r.put("namespace", n));
    return Stubs.cast(registry.answer(Stub.GET_RESOURCE, r));
  }

  @Override
  public AuthorizationDecision authorize(SubjectAccessReview review) {
    ObjectNode r = JsonNodeFactory.instance.objectNode();
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
    return Stubs.cast(registry.answer(Stub.CAN_I, r));
  }

  @Override
  public String manifestDigest(String image) {
    return Stubs.cast(registry.answer(Stub.MANIFEST_DIGEST, TextNode.valueOf(image)));
  }

  @Override
  public JsonNode manifest(String image) {
    return Stubs.cast(registry.answer(Stub.MANIFEST, TextNode.valueOf(image)));
  }

  @Override
  public JsonNode manifestAndConfig(String image) {
    return Stubs.cast(registry.answer(Stub.MANIFEST_CONFIG, TextNode.valueOf(image)));
  }

  @Override
  public JsonNode verify(int version, JsonNode request) {
    return Stubs.cast(registry.answer(Stub.VERIFY, request));
  }

  @Override
  public JsonNode isCertificateTrusted(JsonNode request) {
    return Stubs.cast(registry.answer(Stub.CERTIFICATE, request));
  }
}
