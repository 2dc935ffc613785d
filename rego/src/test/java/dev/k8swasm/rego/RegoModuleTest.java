package dev.k8swasm.rego;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.authn.AuthenticationResult;
import dev.k8swasm.authn.ModuleAuthenticator;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.authz.AuthorizationDecision.Decision;
import dev.k8swasm.authz.ModuleAuthorizer;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rego modules (type rego) as authorizers and authenticators. */
class RegoModuleTest {
  static final String TEST_MODULE = "hostile/opa_abi_test.wasm";

  static JsonNode json(String text) {
    return Json.readTree(text.getBytes(StandardCharsets.UTF_8));
  }

  static ModuleSpec.Builder spec(String module, String entrypoint) {
    ModuleSpec.Builder b =
        ModuleSpec.builder(module.replaceAll(".*/|\\.wasm$", ""))
            .type(RegoModuleRuntime.TYPE)
            .path(Corpus.module(module));
    return entrypoint == null ? b : b.option(RegoModule.ENTRYPOINT, json("\"" + entrypoint + "\""));
  }

  static SubjectAccessReview sar(String user) {
    return Json.convert(
        json(
            "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\","
                + "\"spec\":{\"user\":\""
                + user
                + "\",\"resourceAttributes\":{\"verb\":\"get\",\"resource\":\"pods\"}}}"),
        SubjectAccessReview.class);
  }

  @Test
  void theRuntimeIsFoundByItsType() {
    assertThat(ModuleRuntimes.types()).contains(RegoModuleRuntime.TYPE);
    try (PolicyModule module = ModuleRuntimes.load(spec(TEST_MODULE, "allow").build())) {
      assertThat(module).isInstanceOf(RegoModule.class);
      assertThat(module.kinds()).contains(ReviewKind.AUTHORIZATION, ReviewKind.AUTHENTICATION);
    }
  }

  @Test
  void anEntrypointAnsweringAStatusAuthorizes() {
    try (ModuleAuthorizer authorizer =
        ModuleAuthorizer.of(RegoModule.load(spec(TEST_MODULE, "allow").build()))) {
      var decision = authorizer.authorize(sar("bob"));
      assertThat(decision.decision()).isEqualTo(Decision.ALLOW);
      assertThat(decision.reason()).isEqualTo("allowed by the test module");
    }
  }

  @Test
  void aRealRbacPolicyDecidesOnItsDataAndTheReview() {
    // rbac.rego: allow if "admin" in data.user_roles[input.user]; a SubjectAccessReview has no
    // top-level user, so the boolean entrypoint is false (no opinion) and the package's object
    // has allow: false
    JsonNode data = json("{\"user_roles\":{\"alice\":[\"admin\"]},\"role_grants\":{}}");
    try (ModuleAuthorizer boolEntry =
            ModuleAuthorizer.of(
                RegoModule.load(spec("opa/rbac.wasm", "app/rbac/allow").settings(data).build()));
        ModuleAuthorizer objectEntry =
            ModuleAuthorizer.of(
                RegoModule.load(spec("opa/rbac.wasm", null).settings(data).build()))) {
      assertThat(boolEntry.authorize(sar("alice")).decision()).isEqualTo(Decision.NO_OPINION);
      assertThat(objectEntry.authorize(sar("alice")).decision()).isEqualTo(Decision.NO_OPINION);
    }
    // the same policy evaluated directly with its own input shape allows the admin
    try (RegoPolicy policy =
        RegoPolicy.builder(spec("opa/rbac.wasm", null).build()).data(data).build()) {
      assertThat(policy.evaluate("app/rbac/allow", json("{\"user\":\"alice\"}")))
          .isEqualTo(json("[{\"result\":true}]"));
      assertThat(policy.evaluate("app/rbac/allow", json("{\"user\":\"bob\"}")))
          .isEqualTo(json("[{\"result\":false}]"));
    }
  }

  @Test
  void anEntrypointAnsweringATokenReviewStatusAuthenticates() {
    try (ModuleAuthenticator authenticator =
        ModuleAuthenticator.of(RegoModule.load(spec(TEST_MODULE, "authn").build()))) {
      AuthenticationResult result =
          authenticator.authenticate(TokenReview.forToken("t0ken", List.of()));
      assertThat(result.authenticated()).isTrue();
      assertThat(result.user().username()).isEqualTo("alice");
      assertThat(result.user().groups()).containsExactly("dev");
    }
  }

  @Test
  void configurationMistakesFailAtLoad() {
    assertThatThrownBy(() -> RegoModule.load(spec(TEST_MODULE, "nope").build()))
        .isInstanceOfSatisfying(
            ModuleException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.LOAD_FAILED);
              assertThat(e.getMessage())
                  .contains("has no entrypoint 'nope'")
                  .contains("allow, authn");
            });
    assertThatThrownBy(
            () -> RegoModule.load(spec(TEST_MODULE, null).option("query", json("1")).build()))
        .hasMessageContaining("unknown Rego option 'query'");
  }

  @Test
  void admissionReviewsGoThroughTheKubewardenModes() {
    try (RegoModule module = RegoModule.load(spec(TEST_MODULE, "allow").build())) {
      assertThatThrownBy(() -> module.evaluate(ReviewKind.ADMISSION, "{}".getBytes()))
          .isInstanceOfSatisfying(
              ModuleException.class,
              e -> assertThat(e.reason()).isEqualTo(FailureReason.UNSUPPORTED));
    }
  }
}
