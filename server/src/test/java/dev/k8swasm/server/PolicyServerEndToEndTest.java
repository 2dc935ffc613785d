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

/** The server started on a policy-server policies.yml, answering on policy-server's endpoints. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyServerEndToEndTest {
  Fixture.Running s;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Path wapc = module("kubewarden/policy_wapc_init.wasm");
    Path wasi = module("kubewarden/policy_wasi.wasm");
    Path policies =
        Fixture.write(
            dir.resolve("policies.yml"),
            "no-forbidden:\n"
                + "  module: "
                + wapc
                + "\n"
                + "  settings:\n"
                + "    forbiddenLabels: [forbidden]\n"
                + "    rejectCode: 403\n"
                + "watch-forbidden:\n"
                + "  module: file://"
                + wasi
                + "\n"
                + "  policyMode: monitor\n"
                + "  settings:\n"
                + "    forbiddenLabels: [forbidden]\n"
                + "add-team:\n"
                + "  module: "
                + wapc
                + "\n"
                + "  allowedToMutate: true\n"
                + "  settings:\n"
                + "    addLabels: {team: blue}\n"
                + "add-team-not-allowed:\n"
                + "  module: "
                + wapc
                + "\n"
                + "  settings:\n"
                + "    addLabels: {team: blue}\n"
                + "custom-message:\n"
                + "  module: "
                + wapc
                + "\n"
                + "  message: Pods must not carry the forbidden label\n"
                + "  settings:\n"
                + "    forbiddenLabels: [forbidden]\n"
                + "no-default-namespace:\n"
                + "  module: "
                + module("rego/kubewarden/no-default-namespace-rego.wasm")
                + "\n"
                + "broken:\n"
                + "  module: "
                + wapc
                + "\n"
                + "  settings:\n"
                + "    failWith: boom\n"
                // the shape of policy-server's policies.yml.example's group, on local modules
                + "pod-image-signatures: # policy group\n"
                + "  policies:\n"
                + "    sigstore_pgp:\n"
                + "      module: "
                + wapc
                + "\n"
                + "      settings:\n"
                + "        forbiddenLabels: [forbidden]\n"
                + "    sigstore_gh_action:\n"
                + "      module: "
                + wasi
                + "\n"
                + "    reject_latest_tag:\n"
                + "      module: "
                + wapc
                + "\n"
                + "      settings:\n"
                + "        forbiddenLabels: [forbidden]\n"
                + "  expression: \"sigstore_pgp() || (sigstore_gh_action() && reject_latest_tag())\"\n"
                + "  message: \"The group policy is rejected.\"\n"
                + "privileged-group:\n"
                + "  policyMode: monitor\n"
                + "  expression: \"pod_privileged() && true\"\n"
                + "  message: privileged pods are not allowed\n"
                + "  policies:\n"
                + "    pod_privileged:\n"
                + "      module: "
                + wapc
                + "\n"
                + "      settings:\n"
                + "        forbiddenLabels: [forbidden]\n"
                + "protected-group:\n"
                + "  expression: \"pod_privileged() && true\"\n"
                + "  message: privileged pods are not allowed\n"
                + "  policies:\n"
                + "    pod_privileged:\n"
                + "      module: "
                + wapc
                + "\n"
                + "      settings:\n"
                + "        forbiddenLabels: [forbidden]\n");
    s = Fixture.start(policies, new Fixture.Flags());
  }

  @AfterAll
  void stop() {
    s.close();
  }

  @Test
  void aPolicyGroupAnswersAsUpstream() {
    JsonNode r =
        s.review("/validate/pod-image-signatures", request("kubewarden/pod-create-forbidden.json"));
    assertThat(r.path("kind").asText()).isEqualTo("AdmissionReview");
    JsonNode response = r.path("response");
    assertThat(response.path("uid").asText()).isEqualTo("705ab4f5-6393-11e8-b7cc-42010a800003");
    assertThat(response.path("allowed").asBoolean(true)).isFalse();
    JsonNode status = response.path("status");
    assertThat(status.path("message").asText()).isEqualTo("The group policy is rejected.");
    JsonNode causes = status.path("details").path("causes");
    assertThat(causes).hasSize(2);
    assertThat(causes.get(0).path("field").asText()).isEqualTo("spec.policies.sigstore_pgp");
    assertThat(causes.get(0).path("message").asText()).isEqualTo("label forbidden is forbidden");
    assertThat(causes.get(1).path("field").asText()).isEqualTo("spec.policies.reject_latest_tag");

    double ghAction =
        s.metric("k8swasm_evaluations_total", "module", "pod-image-signatures/sigstore_gh_action");
    double evaluations =
        s.metric(
            "kubewarden_policy_evaluations_total",
            "policy_name",
            "pod-image-signatures",
            "accepted",
            "true");
    JsonNode ok = s.review("/validate/pod-image-signatures", request("kubewarden/pod-create.json"));
    assertThat(ok.path("response").path("allowed").asBoolean()).isTrue();
    assertThat(ok.path("response").has("status")).isFalse();
    // sigstore_pgp() accepted: the rest of the expression is not evaluated
    assertThat(
            s.metric(
                "k8swasm_evaluations_total", "module", "pod-image-signatures/sigstore_gh_action"))
        .isEqualTo(ghAction);
    assertThat(
            s.metric(
                "kubewarden_policy_evaluations_total",
                "policy_name",
                "pod-image-signatures",
                "accepted",
                "true"))
        .isEqualTo(evaluations + 1);
  }

  @Test
  void aPolicyGroupInMonitorModeAcceptsOnValidateAndReportsOnAudit() {
    JsonNode rejected =
        s.review("/validate/protected-group", request("kubewarden/pod-create-forbidden.json"));
    assertThat(rejected.path("response").path("allowed").asBoolean(true)).isFalse();
    assertThat(rejected.path("response").path("status").path("message").asText())
        .isEqualTo("privileged pods are not allowed");

    String[] labels = {"policy_name", "privileged-group", "policy_mode", "monitor"};
    double before = s.metric("kubewarden_policy_evaluations_total", labels);
    JsonNode monitored =
        s.review("/validate/privileged-group", request("kubewarden/pod-create-forbidden.json"));
    assertThat(monitored.path("response").path("allowed").asBoolean()).isTrue();
    assertThat(monitored.path("response").has("status")).isFalse();
    assertThat(s.metric("kubewarden_policy_evaluations_total", labels)).isEqualTo(before + 1);
    JsonNode audited =
        s.review("/audit/privileged-group", request("kubewarden/pod-create-forbidden.json"));
    assertThat(audited.path("response").path("allowed").asBoolean(true)).isFalse();
    assertThat(audited.path("response").path("status").path("message").asText())
        .isEqualTo("privileged pods are not allowed");
  }

  @Test
  void policyGroupsWithErrorsAreRefusedWithEveryProblemListed(@TempDir Path other)
      throws Exception {
    Path wapc = module("kubewarden/policy_wapc_start.wasm");
    Path policies =
        Fixture.write(
            other.resolve("policies.yml"),
            "unknown-member:\n"
                + "  expression: \"member() && other()\"\n"
                + "  message: rejected by the group\n"
                + "  policies:\n"
                + "    member:\n"
                + "      module: "
                + wapc
                + "\n"
                + "not-boolean:\n"
                + "  expression: \"1 + 1\"\n"
                + "  message: rejected by the group\n"
                + "  policies:\n"
                + "    member:\n"
                + "      module: "
                + wapc
                + "\n"
                + "syntax:\n"
                + "  expression: \"member() &&\"\n"
                + "  message: rejected by the group\n"
                + "  policies:\n"
                + "    member:\n"
                + "      module: "
                + wapc
                + "\n");
    assertThatThrownBy(() -> Fixture.start(policies, new Fixture.Flags()))
        .isInstanceOf(dev.k8swasm.config.ConfigException.class)
        .satisfies(
            e -> {
              var problems = ((dev.k8swasm.config.ConfigException) e).problems();
              assertThat(problems).hasSize(3);
              assertThat(problems.get(0))
                  .startsWith(policies + ": policy group 'unknown-member': field 'expression': ")
                  .contains("other");
              assertThat(problems.get(1))
                  .startsWith(policies + ": policy group 'not-boolean': field 'expression': ");
              assertThat(problems.get(2))
                  .startsWith(policies + ": policy group 'syntax': field 'expression': ");
            });
  }

  @Test
  void monitorModeAcceptsOnValidateAndCountsAndAuditsThePolicyAnswer() {
    String[] labels = {
      "policy_name", "watch-forbidden", "policy_mode", "monitor", "accepted", "false"
    };
    double before = s.metric("kubewarden_policy_evaluations_total", labels);
    JsonNode r =
        s.review("/validate/watch-forbidden", request("kubewarden/pod-create-forbidden.json"));
    assertThat(r.path("response").path("allowed").asBoolean()).isTrue();
    assertThat(r.path("response").has("status")).isFalse();
    // as policy-server: the metric has the policy's own answer
    assertThat(s.metric("kubewarden_policy_evaluations_total", labels)).isEqualTo(before + 1);
    // as policy-server: /audit answers with the policy's own answer, monitor mode or not
    JsonNode audit =
        s.review("/audit/watch-forbidden", request("kubewarden/pod-create-forbidden.json"));
    assertThat(audit.path("response").path("allowed").asBoolean(true)).isFalse();
    assertThat(audit.path("response").path("status").path("message").asText())
        .isEqualTo("label forbidden is forbidden");
  }

  @Test
  void protectModeRejectsWithThePolicyMessageAndCode() {
    JsonNode r =
        s.review("/validate/no-forbidden", request("kubewarden/pod-create-forbidden.json"));
    assertThat(r.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(r.path("kind").asText()).isEqualTo("AdmissionReview");
    JsonNode response = r.path("response");
    assertThat(response.path("uid").asText()).isEqualTo("705ab4f5-6393-11e8-b7cc-42010a800003");
    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.path("status").path("message").asText())
        .isEqualTo("label forbidden is forbidden");
    assertThat(response.path("status").path("code").asInt()).isEqualTo(403);

    JsonNode ok = s.review("/validate/no-forbidden", request("kubewarden/pod-create.json"));
    assertThat(ok.path("response").path("allowed").asBoolean()).isTrue();
  }

  @Test
  void anOpaPolicyAnswersAsUpstream() throws Exception {
    Path requests = Fixture.examples().resolve("modules/rego/requests");
    JsonNode r =
        s.review(
            "/validate/no-default-namespace",
            java.nio.file.Files.readString(requests.resolve("pod-default-namespace.json")));
    assertThat(r.path("response").path("allowed").asBoolean()).isFalse();
    assertThat(r.path("response").path("status").path("message").asText())
        .isEqualTo("you cannot use the default namespace");
    JsonNode ok =
        s.review(
            "/validate/no-default-namespace",
            java.nio.file.Files.readString(requests.resolve("pod-team-namespace.json")));
    assertThat(ok.path("response").path("allowed").asBoolean()).isTrue();
  }

  @Test
  void metricsHavePolicyServerNamesAndLabels() {
    String[] labels = {
      "policy_name", "no-forbidden",
      "policy_mode", "protect",
      "resource_kind", "Pod",
      "resource_namespace", "default",
      "resource_request_operation", "CREATE",
      "accepted", "false",
      "mutated", "false",
      "request_origin", "validate",
      "error_code", "403"
    };
    double before = s.metric("kubewarden_policy_evaluations_total", labels);
    s.review("/validate/no-forbidden", request("kubewarden/pod-create-forbidden.json"));
    assertThat(s.metric("kubewarden_policy_evaluations_total", labels)).isEqualTo(before + 1);
    String scrape = s.get(WebhookServer.METRICS).body();
    assertThat(scrape)
        .contains("kubewarden_policy_evaluation_latency_milliseconds_bucket{")
        .contains("kubewarden_policy_evaluation_latency_milliseconds_count{");
    assertThat(
            s.metric(
                "kubewarden_policy_evaluation_latency_milliseconds_count",
                "policy_name",
                "no-forbidden",
                "accepted",
                "false"))
        .isGreaterThanOrEqualTo(1);
    // ours stay
    assertThat(scrape).contains("k8swasm_evaluations_total{");
    double mutated =
        s.metric(
            "kubewarden_policy_evaluations_total", "policy_name", "add-team", "mutated", "true");
    s.review("/validate/add-team", request("kubewarden/pod-create.json"));
    assertThat(
            s.metric(
                "kubewarden_policy_evaluations_total",
                "policy_name",
                "add-team",
                "mutated",
                "true"))
        .isEqualTo(mutated + 1);
  }

  @Test
  void customMessageReplacesTheRejectionAndThePolicyMessageIsTheCause() {
    JsonNode r =
        s.review("/validate/custom-message", request("kubewarden/pod-create-forbidden.json"));
    JsonNode status = r.path("response").path("status");
    assertThat(status.path("message").asText())
        .isEqualTo("Pods must not carry the forbidden label");
    assertThat(status.path("details").path("causes")).hasSize(1);
    assertThat(status.path("details").path("causes").get(0).path("message").asText())
        .isEqualTo("label forbidden is forbidden");
  }

  @Test
  void aPatchFromAPolicyNotAllowedToMutateIsRejectedAsUpstream() {
    JsonNode r = s.review("/validate/add-team-not-allowed", request("kubewarden/pod-create.json"));
    assertThat(r.path("response").path("allowed").asBoolean()).isFalse();
    assertThat(r.path("response").path("status").path("message").asText())
        .isEqualTo(
            "Request rejected by policy add-team-not-allowed. The policy attempted to mutate the"
                + " request, but it is currently configured to not allow mutations.");
    assertThat(r.path("response").has("patch")).isFalse();
  }

  @Test
  void aFailingPolicyIsARejectionWithCode500() {
    JsonNode r = s.review("/validate/broken", request("kubewarden/pod-create.json"));
    assertThat(r.path("response").path("allowed").asBoolean()).isFalse();
    assertThat(r.path("response").path("status").path("code").asInt()).isEqualTo(500);
    assertThat(r.path("response").path("status").path("message").asText())
        .startsWith("internal server error: ")
        .contains("boom");
  }

  @Test
  void validateReturnsThePatchOfAPolicyAllowedToMutate() {
    JsonNode r = s.review("/validate/add-team", request("kubewarden/pod-create.json"));
    assertThat(r.path("response").path("allowed").asBoolean()).isTrue();
    assertThat(r.path("response").path("patchType").asText()).isEqualTo("JSONPatch");
  }

  @Test
  void auditNeverMutatesAndKeepsThePolicyAnswer() {
    JsonNode r = s.review("/audit/add-team", request("kubewarden/pod-create.json"));
    assertThat(r.path("kind").asText()).isEqualTo("AdmissionReview");
    assertThat(r.path("response").path("allowed").asBoolean()).isTrue();
    assertThat(r.path("response").has("patch")).isFalse();
    JsonNode rejected =
        s.review("/audit/custom-message", request("kubewarden/pod-create-forbidden.json"));
    assertThat(rejected.path("response").path("status").path("message").asText())
        .isEqualTo("label forbidden is forbidden");
  }

  @Test
  void validateRawAnswersWithTheResponseOnly() {
    String raw =
        "{\"request\":{\"uid\":\"raw-1\",\"object\":{\"metadata\":{\"labels\":"
            + "{\"forbidden\":\"yes\"}}}}}";
    JsonNode r = s.review("/validate_raw/no-forbidden", raw);
    assertThat(r.has("apiVersion")).isFalse();
    assertThat(r.path("response").path("uid").asText()).isEqualTo("raw-1");
    assertThat(r.path("response").path("allowed").asBoolean()).isFalse();
    assertThat(r.path("response").path("status").path("message").asText())
        .isEqualTo("label forbidden is forbidden");
  }

  @Test
  void errorsHavePolicyServerStatusCodesAndBodies() {
    var notFound = s.post("/validate_raw/nope", request("kubewarden/pod-create.json"));
    assertThat(notFound.statusCode()).isEqualTo(404);
    JsonNode body = Fixture.json(notFound);
    assertThat(body.path("status").asInt()).isEqualTo(404);
    assertThat(body.path("message").asText()).contains("nope");
    assertThat(s.post("/audit/nope", request("kubewarden/pod-create.json")).statusCode())
        .isEqualTo(404);
    var unprocessable = s.post("/validate/no-forbidden", "{}");
    assertThat(unprocessable.statusCode()).isEqualTo(422);
    assertThat(Fixture.json(unprocessable).path("status").asInt()).isEqualTo(422);
    assertThat(s.post("/validate/no-forbidden", "{not json").statusCode()).isEqualTo(400);
    assertThat(s.get("/readiness").statusCode()).isEqualTo(200);
  }

  @Test
  void allowedToMutateReturnsAPatch() {
    JsonNode r = s.review("/mutate/add-team", request("kubewarden/pod-create.json"));
    assertThat(r.path("response").path("allowed").asBoolean()).isTrue();
    assertThat(r.path("response").path("patchType").asText()).isEqualTo("JSONPatch");
    assertThat(
            new String(
                java.util.Base64.getDecoder().decode(r.path("response").path("patch").asText())))
        .contains("team", "blue");
  }
}
