package dev.k8swasm.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rego policies through {@code serve}: Kubewarden policies in the {@code gatekeeper} and {@code
 * opa} execution modes on {@code /validate} and {@code /validate/NAME}, and a {@code rego} module
 * as an authorizer on {@code /authorize} (the server finds the rego runtime through the SPI, as the
 * CLI's shaded jar does).
 */
class RegoServeTest {
  static final String RULES =
      "    rules:\n"
          + "    - operations: [CREATE]\n"
          + "      apiGroups: [\"\"]\n"
          + "      apiVersions: [v1]\n"
          + "      resources: [pods]\n";

  @TempDir Path dir;

  @Test
  void gatekeeperAndOpaPoliciesAndARegoAuthorizerAnswerThroughServe() throws Exception {
    Path rego = Fixture.module("rego");
    String config =
        "authorization:\n"
            + "  modules:\n"
            + "  - name: rego-authz\n"
            + "    type: rego\n"
            + "    module: "
            + rego.resolve("hostile/opa_abi_test.wasm")
            + "\n"
            + "    entrypoint: allow\n"
            + "admission:\n"
            + "  modules:\n"
            + "  - name: gatekeeper-unhappy\n"
            + "    type: kubewarden\n"
            + "    module: "
            + rego.resolve("kubewarden/gatekeeper_always_unhappy_policy.wasm")
            + "\n"
            + RULES
            + "  - name: no-default-namespace\n"
            + "    type: kubewarden\n"
            + "    module: "
            + rego.resolve("kubewarden/no-default-namespace-rego.wasm")
            + "\n"
            + RULES;
    Path file = Files.writeString(dir.resolve("server.yaml"), config);
    String teamPod = Files.readString(rego.resolve("requests/pod-team-namespace.json"));
    String defaultPod = Files.readString(rego.resolve("requests/pod-default-namespace.json"));

    try (Fixture.Running s = Fixture.start(file, new Fixture.Flags())) {
      // gatekeeper mode: the violation denies, with the policy's message
      JsonNode all = s.review(WebhookServer.VALIDATE, teamPod).path("response");
      assertThat(all.path("allowed").asBoolean(true)).isFalse();
      assertThat(all.path("status").path("message").asText())
          .isEqualTo("module \"gatekeeper-unhappy\" denied the request: failing as expected");

      // opa mode, one policy by name: a Pod outside the default namespace is allowed ...
      JsonNode team = s.review(WebhookServer.VALIDATE + "/no-default-namespace", teamPod);
      assertThat(team.path("response").path("allowed").asBoolean(false)).isTrue();
      // ... one in the default namespace is denied with the Rego rule's message
      JsonNode denied = s.review(WebhookServer.VALIDATE + "/no-default-namespace", defaultPod);
      assertThat(denied.path("response").path("allowed").asBoolean(true)).isFalse();
      assertThat(denied.path("response").path("status").path("message").asText())
          .isEqualTo(
              "module \"no-default-namespace\" denied the request: you cannot use the default"
                  + " namespace");

      // a rego module as an authorizer
      JsonNode sar = s.review(WebhookServer.AUTHORIZE, Fixture.request("sar-configmaps.json"));
      assertThat(sar.path("status").path("allowed").asBoolean(false)).isTrue();
      assertThat(sar.path("status").path("reason").asText())
          .isEqualTo("allowed by the test module");
    }
  }
}
