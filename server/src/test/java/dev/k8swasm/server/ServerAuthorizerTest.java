package dev.k8swasm.server;

import static dev.k8swasm.server.Fixture.module;
import static dev.k8swasm.server.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.authz.AuthorizationDecision;
import dev.k8swasm.authz.Authorizer;
import dev.k8swasm.authz.ResourceAttributes;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.kubewarden.capabilities.HostCapabilities;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WebhookServer#authorizer()}: the server's own authorization modules answer without HTTP,
 * e.g. a Kubewarden policy's {@code kubernetes/can_i} in a server that is its own authorizer.
 */
class ServerAuthorizerTest {

  @Test
  void policiesCanIIsAnsweredByTheServersAuthorizationModules(@TempDir Path dir) throws Exception {
    AtomicReference<WebhookServer> self = new AtomicReference<>();
    Authorizer own =
        review -> {
          WebhookServer server = self.get();
          return server == null
              ? AuthorizationDecision.noOpinion("starting")
              : server.authorizer().authorize(review);
        };
    Path config =
        Fixture.write(
            dir.resolve("serve.yaml"),
            "authorization:\n  modules:\n"
                + Fixture.moduleEntry("magic", module("magic_authorizer.wasm"))
                + "admission:\n  modules:\n"
                + Fixture.moduleEntry(
                    "can-i",
                    module("kubewarden/policy_wapc_start.wasm"),
                    "type: kubewarden",
                    "rules: [{operations: ['*'], apiGroups: ['*'], apiVersions: ['*'],"
                        + " resources: ['*']}]",
                    "allowedHostCapabilities: ['kubernetes/can_i']",
                    "settings: {canI: {user: alice, verb: get, resource: configmaps}}"));
    Fixture.Flags flags = new Fixture.Flags();
    flags.specCustomizer =
        b ->
            b.extension(HostCapabilities.class, HostCapabilities.builder().authorizer(own).build());
    try (Fixture.Running s = Fixture.start(config, flags)) {
      self.set(s.server);

      // the chain answers directly: magic_authorizer allows configmaps to magic-group
      SubjectAccessReview magic =
          SubjectAccessReview.builder()
              .user("bob")
              .groups("magic-group")
              .resourceAttributes(ResourceAttributes.of("get", "", "configmaps", "default"))
              .build();
      assertThat(s.server.authorizer().authorize(magic).allowed()).isTrue();
      assertThat(s.metric("k8swasm_evaluations_total", "module", "magic")).isEqualTo(1.0);

      // the policy (a mutator by its metadata) asks can_i for alice (no magic-group) through the
      // same modules: no opinion
      JsonNode r =
          s.review(WebhookServer.MUTATE, request("kubewarden/pod-create.json")).path("response");
      assertThat(r.path("allowed").asBoolean()).as(r.toString()).isTrue();
      assertThat(r.path("warnings").toString()).as(r.toString()).contains("can-i:denied");
      assertThat(s.metric("k8swasm_evaluations_total", "module", "magic")).isEqualTo(2.0);
    }
  }

  @Test
  void noAuthorizationSectionMeansNoOpinion(@TempDir Path dir) throws Exception {
    Path config =
        Fixture.write(
            dir.resolve("serve.yaml"),
            "admission:\n  modules:\n"
                + Fixture.moduleEntry(
                    "v",
                    module("magic_validator.wasm"),
                    "rules: [{operations: ['*'], apiGroups: ['*'], apiVersions: ['*'],"
                        + " resources: ['*']}]"));
    try (Fixture.Running s = Fixture.start(config, new Fixture.Flags())) {
      AuthorizationDecision d =
          s.server
              .authorizer()
              .authorize(
                  SubjectAccessReview.builder()
                      .user("bob")
                      .resourceAttributes(ResourceAttributes.of("get", "", "pods", "default"))
                      .build());
      assertThat(d.allowed()).isFalse();
      assertThat(d.decision()).isEqualTo(AuthorizationDecision.Decision.NO_OPINION);
      assertThat(d.reason()).contains("no authorization section");
    }
  }
}
