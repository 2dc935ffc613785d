package dev.k8swasm.cli;

import static dev.k8swasm.cli.Cli.run;
import static dev.k8swasm.cli.KubewardenCliTest.kwctl;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import org.junit.jupiter.api.Test;

/**
 * {@code k8s-wasm run} on Rego policies of Kubewarden's gatekeeper and opa execution modes (the
 * corpus in examples/modules/rego): prints the AdmissionResponse kwctl prints.
 */
class RegoCliTest {
  static String rego(String relative) {
    return Cli.examples().resolve("modules/rego").resolve(relative).toString();
  }

  static final String UNHAPPY = rego("kubewarden/gatekeeper_always_unhappy_policy.wasm");
  static final String HAPPY = rego("kubewarden/gatekeeper_always_happy_policy.wasm");
  static final String NO_DEFAULT_NS = rego("kubewarden/no-default-namespace-rego.wasm");
  static final String DEFAULT_NS = rego("requests/pod-default-namespace.json");
  static final String TEAM_NS = rego("requests/pod-team-namespace.json");

  @Test
  void gatekeeperPolicyDeniesWithTheViolationMessage() {
    assertThat(kwctl(run("run", UNHAPPY, "-r", TEAM_NS, "--settings-json", "{\"max\":3}")))
        .isEqualTo(
            "{\"uid\":\"0df28fbd-5f5f-4cbc-9f2e-6b6b7b3f4a02\",\"allowed\":false,"
                + "\"status\":{\"message\":\"failing as expected\"}}");
  }

  @Test
  void gatekeeperPolicyWithoutViolationsAllows() {
    assertThat(
            kwctl(
                run(
                    "run",
                    HAPPY,
                    "--execution-mode",
                    "gatekeeper",
                    "--request-path",
                    DEFAULT_NS,
                    "--settings-json",
                    "{}")))
        .isEqualTo("{\"uid\":\"0df28fbd-5f5f-4cbc-9f2e-6b6b7b3f4a01\",\"allowed\":true}");
  }

  @Test
  void opaPolicyGetsTheAdmissionReviewAndAnswersIt() {
    assertThat(kwctl(run("run", NO_DEFAULT_NS, "-r", DEFAULT_NS)))
        .isEqualTo(
            "{\"uid\":\"0df28fbd-5f5f-4cbc-9f2e-6b6b7b3f4a01\",\"allowed\":false,"
                + "\"status\":{\"message\":\"you cannot use the default namespace\"}}");
    assertThat(kwctl(run("run", NO_DEFAULT_NS, "-r", TEAM_NS, "--execution-mode", "opa")))
        .isEqualTo("{\"uid\":\"0df28fbd-5f5f-4cbc-9f2e-6b6b7b3f4a02\",\"allowed\":true}");
  }

  @Test
  void inspectReportsTheExecutionMode() {
    Cli.Result r = run("inspect", UNHAPPY, "-o", "json");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonNode report = Json.readTree(r.out().getBytes());
    assertThat(report.path("executionMode").asText()).isEqualTo("gatekeeper");
    assertThat(report.has("note")).isFalse();
  }

  @Test
  void aWaPCPolicyRunAsOpaIsAClearLoadError() {
    Cli.Result r =
        run(
            "run",
            Cli.module("kubewarden/policy_wapc_start.wasm"),
            "-r",
            TEAM_NS,
            "--execution-mode",
            "opa");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("OPA Wasm ABI").contains("does not export opa_malloc");
  }

  @Test
  void aRegoModuleAuthorizesSubjectAccessReviews() {
    Cli.Result r =
        run(
            "run",
            rego("hostile/opa_abi_test.wasm"),
            "--type",
            "rego",
            "--entrypoint",
            "allow",
            "-r",
            Cli.request("sar-configmaps.json"));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonNode status = r.json().path("status");
    assertThat(status.path("allowed").asBoolean()).isTrue();
    assertThat(status.path("reason").asText()).isEqualTo("allowed by the test module");
    Cli.Result rbac =
        run(
            "run",
            rego("opa/rbac.wasm"),
            "--type",
            "rego",
            "--entrypoint",
            "app/rbac/allow",
            "--settings-json",
            "{\"user_roles\":{}}",
            "-r",
            Cli.request("sar-configmaps.json"));
    assertThat(rbac.exitCode()).as(rbac.toString()).isZero();
    assertThat(rbac.json().path("status").path("allowed").asBoolean()).isFalse();
  }

  @Test
  void entrypointNeedsTheRegoType() {
    Cli.Result r = run("run", HAPPY, "--entrypoint", "policy/violation", "-r", TEAM_NS);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--entrypoint only applies to Rego modules (--type rego)");
    Cli.Result missing =
        run(
            "run",
            HAPPY,
            "--type",
            "rego",
            "--entrypoint",
            "nope",
            "-r",
            Cli.request("sar-configmaps.json"));
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("has no entrypoint 'nope' (it has policy/violation)");
  }
}
