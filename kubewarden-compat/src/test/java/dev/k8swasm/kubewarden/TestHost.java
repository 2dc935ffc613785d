package dev.k8swasm.kubewarden;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.authz.AuthorizationDecision;
import dev.k8swasm.kubewarden.capabilities.HostCapabilities;
import dev.k8swasm.kubewarden.capabilities.HostCapabilityException;
import dev.k8swasm.kubewarden.capabilities.KubernetesContext;
import dev.k8swasm.kubewarden.session.SessionRecorder;
import java.util.List;
import java.util.Optional;

/**
 * The host capabilities of the tests, answering like the table of check.mjs (the Node reference):
 * DNS of example.com, can_i for alice (allowed), bob (denied) and others (error), the Namespace
 * "default".
 */
final class TestHost {
  static final String DNS_IP = "93.184.215.14";
  static final String FAILURE = "Callback evaluation failure: ";
  static final JsonNode NAMESPACE_DEFAULT =
      TestPolicies.object(
          "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"default\","
              + "\"uid\":\"0f5e7a8b-1c2d-4e3f-9a0b-1c2d3e4f5a6b\",\"labels\":{"
              + "\"kubernetes.io/metadata.name\":\"default\"}},\"spec\":{\"finalizers\":"
              + "[\"kubernetes\"]},\"status\":{\"phase\":\"Active\"}}");

  private TestHost() {}

  static HostCapabilities.Builder builder() {
    return HostCapabilities.builder()
        .dns(
            host -> {
              if (host.equals("example.com")) {
                return List.of(DNS_IP);
              }
              throw new HostCapabilityException("lookup " + host + ": no such host");
            })
        .authorizer(
            review ->
                switch (review.spec().user()) {
                  case "alice" -> AuthorizationDecision.allow("", "test");
                  case "bob" -> AuthorizationDecision.noOpinion("no RBAC rule matched");
                  default ->
                      throw new HostCapabilityException(
                          "subjectaccessreviews.authorization.k8s.io is forbidden");
                })
        .kubernetes(
            new KubernetesContext() {
              @Override
              public List<JsonNode> listResourcesByNamespace(ListResourcesRequest request) {
                return List.of(NAMESPACE_DEFAULT);
              }

              @Override
              public List<JsonNode> listResourcesAll(ListResourcesRequest request) {
                return List.of(NAMESPACE_DEFAULT);
              }

              @Override
              public Optional<JsonNode> getResource(GetResourceRequest r) {
                if (r.apiVersion().equals("v1")
                    && r.kind().equals("Namespace")
                    && r.name().equals("default")) {
                  return Optional.of(NAMESPACE_DEFAULT);
                }
                throw new HostCapabilityException("namespaces \"" + r.name() + "\" not found");
              }
            });
  }

  static HostCapabilities with(SessionRecorder recorder) {
    return builder().record(recorder).build();
  }
}
