package dev.k8swasm.server;

import static dev.k8swasm.server.Fixture.module;
import static dev.k8swasm.server.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;

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
                + "    addLabels: {team: blue}\n");
    s = Fixture.start(policies, new Fixture.Flags());
  }

  @AfterAll
  void stop() {
    s.close();
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
        .endsWith("label forbidden is forbidden");
    assertThat(response.path("status").path("code").asInt()).isEqualTo(403);

    JsonNode ok = s.review("/validate/no-forbidden", request("kubewarden/pod-create.json"));
    assertThat(ok.path("response").path("allowed").asBoolean()).isTrue();
  }

  @Test
  void monitorModeAccepts() {
    JsonNode r =
        s.review("/validate/watch-forbidden", request("kubewarden/pod-create-forbidden.json"));
    assertThat(r.path("response").path("allowed").asBoolean()).isTrue();
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
