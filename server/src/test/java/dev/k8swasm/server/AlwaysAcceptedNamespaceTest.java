package dev.k8swasm.server;

import static dev.k8swasm.server.Fixture.module;
import static dev.k8swasm.server.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * policy-server's {@code --always-accept-admission-reviews-on-namespace}: AdmissionReviews in that
 * namespace are accepted by every policy of the policies.yml without evaluation; other namespaces
 * and raw requests are evaluated.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlwaysAcceptedNamespaceTest {
  static final String KUBEWARDEN = "kubewarden";

  Fixture.Running s;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Path wapc = module("kubewarden/policy_wapc_init.wasm");
    Path policies =
        Fixture.write(
            dir.resolve("policies.yml"),
            "no-forbidden:\n"
                + "  module: "
                + wapc
                + "\n"
                + "  settings:\n"
                + "    forbiddenLabels: [forbidden]\n"
                + "broken:\n"
                + "  module: "
                + wapc
                + "\n"
                + "  settings:\n"
                + "    failWith: boom\n"
                + "forbidden-group:\n"
                + "  expression: \"no_forbidden() && true\"\n"
                + "  message: forbidden labels are not allowed\n"
                + "  policies:\n"
                + "    no_forbidden:\n"
                + "      module: "
                + wapc
                + "\n"
                + "      settings:\n"
                + "        forbiddenLabels: [forbidden]\n");
    Fixture.Flags flags = new Fixture.Flags();
    flags.alwaysAcceptNamespace = KUBEWARDEN;
    s = Fixture.start(policies, flags);
  }

  @AfterAll
  void stop() {
    s.close();
  }

  static String forbiddenPodIn(String namespace) {
    return request("kubewarden/pod-create-forbidden.json")
        .replace("\"namespace\": \"default\"", "\"namespace\": \"" + namespace + "\"");
  }

  @Test
  void theRequestFixtureIsInTheDefaultNamespace() {
    assertThat(forbiddenPodIn(KUBEWARDEN)).contains("\"namespace\": \"kubewarden\"");
  }

  @Test
  void aPolicyAcceptsRequestsInTheNamespaceWithoutEvaluating() {
    JsonNode r = s.review("/validate/no-forbidden", forbiddenPodIn(KUBEWARDEN));
    JsonNode response = r.path("response");
    assertThat(response.path("uid").asText()).isEqualTo("705ab4f5-6393-11e8-b7cc-42010a800003");
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.has("status")).isFalse();
    assertThat(response.has("patch")).isFalse();
    // a policy that fails whenever it runs accepts too: it is not evaluated
    assertThat(
            s.review("/validate/broken", forbiddenPodIn(KUBEWARDEN))
                .path("response")
                .path("allowed")
                .asBoolean())
        .isTrue();
  }

  @Test
  void otherNamespacesAreEvaluated() {
    JsonNode r = s.review("/validate/no-forbidden", forbiddenPodIn("default"));
    assertThat(r.path("response").path("allowed").asBoolean()).isFalse();
    assertThat(r.path("response").path("status").path("message").asText())
        .isEqualTo("label forbidden is forbidden");
    // a prefix or a different case is another namespace
    assertThat(
            s.review("/validate/no-forbidden", forbiddenPodIn("kubewarden-x"))
                .path("response")
                .path("allowed")
                .asBoolean())
        .isFalse();
  }

  @Test
  void groupsAndAuditAcceptTooButRawRequestsAreEvaluated() {
    assertThat(
            s.review("/validate/forbidden-group", forbiddenPodIn(KUBEWARDEN))
                .path("response")
                .path("allowed")
                .asBoolean())
        .isTrue();
    assertThat(
            s.review("/validate/forbidden-group", forbiddenPodIn("default"))
                .path("response")
                .path("allowed")
                .asBoolean())
        .isFalse();
    assertThat(
            s.review("/audit/no-forbidden", forbiddenPodIn(KUBEWARDEN))
                .path("response")
                .path("allowed")
                .asBoolean())
        .isTrue();
    String raw =
        "{\"request\":{\"uid\":\"raw-1\",\"namespace\":\"kubewarden\",\"object\":{\"metadata\":"
            + "{\"labels\":{\"forbidden\":\"yes\"}}}}}";
    assertThat(
            s.review("/validate_raw/no-forbidden", raw)
                .path("response")
                .path("allowed")
                .asBoolean())
        .isFalse();
  }

  @Test
  void acceptedRequestsAreCountedAsAcceptedEvaluations() {
    String[] labels = {
      "policy_name", "no-forbidden",
      "resource_namespace", KUBEWARDEN,
      "accepted", "true",
      "mutated", "false",
      "request_origin", "validate"
    };
    double before = s.metric("kubewarden_policy_evaluations_total", labels);
    s.review("/validate/no-forbidden", forbiddenPodIn(KUBEWARDEN));
    assertThat(s.metric("kubewarden_policy_evaluations_total", labels)).isEqualTo(before + 1);
  }

  @Test
  void aBlankNamespaceIsRefused() {
    assertThatThrownBy(
            () ->
                WebhookServer.builder(Path.of("policies.yml"))
                    .alwaysAcceptAdmissionReviewsOnNamespace(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
  }
}
