package dev.k8swasm.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.authz.AuthorizationDecision;
import dev.k8swasm.authz.ResourceAttributes;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.json.Json;
import dev.k8swasm.kubewarden.capabilities.CapabilityDispatcher;
import dev.k8swasm.kubewarden.capabilities.HostCapabilities;
import dev.k8swasm.kubewarden.capabilities.HostCapabilityAllowList;
import dev.k8swasm.kubewarden.capabilities.HostCapabilityException;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code kubernetes/can_i} as SubjectAccessReviews created on the mock API server. */
class ClusterAuthorizerTest {
  private static final String PATH = "/apis/authorization.k8s.io/v1/subjectaccessreviews";

  private MockApiServer api;
  private KubernetesClient client;
  private final AtomicInteger asked = new AtomicInteger();

  @BeforeEach
  void start() {
    api = new MockApiServer();
    client = api.client();
    // the stand-in's RBAC: alice may create pods in "default", nobody else may do anything
    api.server()
        .expect()
        .post()
        .withPath(PATH)
        .andReply(
            201,
            request -> {
              asked.incrementAndGet();
              JsonNode sar = Json.readTree(request.getUtf8Body().getBytes(StandardCharsets.UTF_8));
              boolean allowed =
                  sar.at("/spec/user").asText().equals("alice")
                      && sar.at("/spec/resourceAttributes/verb").asText().equals("create")
                      && sar.at("/spec/resourceAttributes/namespace").asText().equals("default");
              var answer = (com.fasterxml.jackson.databind.node.ObjectNode) sar.deepCopy();
              answer
                  .putObject("status")
                  .put("allowed", allowed)
                  .put("reason", allowed ? "RBAC: allowed by RoleBinding \"edit\"" : "")
                  .put("denied", !allowed && sar.at("/spec/user").asText().equals("mallory"));
              return Json.writeString(answer);
            })
        .always();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    api.close();
  }

  private static byte[] canI(String user, String verb, boolean disableCache) {
    return ("{\"subject_access_review\":{\"user\":\""
            + user
            + "\",\"groups\":[\"system:authenticated\"],\"resource_attributes\":{\"verb\":\""
            + verb
            + "\",\"resource\":\"pods\",\"namespace\":\"default\"}},\"disable_cache\":"
            + disableCache
            + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode call(CapabilityDispatcher d, byte[] payload) {
    return Json.readTree(d.call("kubewarden", "kubernetes", "can_i", payload));
  }

  @Test
  void canIAllowedAndDeniedThroughThePolicysHostCall() {
    CapabilityDispatcher d =
        new CapabilityDispatcher(
            "policy",
            HostCapabilityAllowList.of(List.of("kubernetes/can_i")),
            Set.of(),
            HostCapabilities.builder()
                .authorizer(ClusterAuthorizer.builder(client).build())
                .build());

    assertThat(call(d, canI("alice", "create", false)))
        .isEqualTo(
            Json.readTree(
                "{\"allowed\":true,\"reason\":\"RBAC: allowed by RoleBinding \\\"edit\\\"\"}"
                    .getBytes(StandardCharsets.UTF_8)));
    assertThat(call(d, canI("bob", "create", false)).path("allowed").asBoolean()).isFalse();
    JsonNode denied = call(d, canI("mallory", "create", false));
    assertThat(denied.path("allowed").asBoolean()).isFalse();
    assertThat(denied.path("denied").asBoolean()).isTrue();
  }

  @Test
  void decisionsAreCachedForTheTtlUnlessThePolicyDisablesTheCache() {
    MutableClock clock = new MutableClock();
    ClusterAuthorizer authorizer =
        ClusterAuthorizer.builder(client).ttl(Duration.ofSeconds(5)).clock(clock).build();
    CapabilityDispatcher d =
        new CapabilityDispatcher(
            "policy",
            HostCapabilityAllowList.of(List.of("kubernetes/can_i")),
            Set.of(),
            HostCapabilities.builder().authorizer(authorizer).build());

    call(d, canI("alice", "create", false));
    call(d, canI("alice", "create", false));
    assertThat(asked).hasValue(1);
    call(d, canI("alice", "delete", false)); // another question
    assertThat(asked).hasValue(2);
    call(d, canI("alice", "create", true)); // disable_cache: asked afresh
    assertThat(asked).hasValue(3);
    clock.now = clock.now.plusSeconds(5);
    call(d, canI("alice", "create", false)); // expired
    assertThat(asked).hasValue(4);
  }

  @Test
  void aRefusalIsAOneLineErrorNamingWhatToGrant() {
    api.server().clearExpectations();
    api.server()
        .expect()
        .post()
        .withPath(PATH)
        .andReturn(
            403,
            new StatusBuilder()
                .withCode(403)
                .withReason("Forbidden")
                .withMessage("subjectaccessreviews.authorization.k8s.io is forbidden")
                .build())
        .always();
    ClusterAuthorizer authorizer = ClusterAuthorizer.builder(client).build();
    assertThatThrownBy(
            () ->
                authorizer.authorize(
                    SubjectAccessReview.builder()
                        .user("alice")
                        .resourceAttributes(pods("get", null))
                        .build()))
        .isInstanceOf(HostCapabilityException.class)
        .hasMessageStartingWith(
            "the Kubernetes API server refused to create a SubjectAccessReview (403 Forbidden): grant create on subjectaccessreviews.authorization.k8s.io to the service account or user");
  }

  @Test
  void decisionsKeepTheApiServersAnswer() {
    AuthorizationDecision d =
        ClusterAuthorizer.builder(client)
            .build()
            .authorize(
                SubjectAccessReview.builder()
                    .user("alice")
                    .resourceAttributes(pods("create", "default"))
                    .build());
    assertThat(d.allowed()).isTrue();
    assertThat(d.reason()).isEqualTo("RBAC: allowed by RoleBinding \"edit\"");
  }

  private static ResourceAttributes pods(String verb, String namespace) {
    return new ResourceAttributes(namespace, verb, "", "v1", "pods", null, null, null, null, null);
  }

  private static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-12-07T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
