package dev.k8swasm.rego.kubewarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.admission.AdmissionRequest;
import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.json.Json;
import dev.k8swasm.kubewarden.KubewardenPolicy;
import dev.k8swasm.kubewarden.metadata.ExecutionMode;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.rego.RegoPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** How an OPA-mode AdmissionResponse becomes Kubewarden's answer (test/opa_response_test.wat). */
class RegoOperationsTest {
  static final String MODULE = "test/opa_response_test.wasm";

  @Test
  void aPatchWarningsAndAuditAnnotationsReachTheAdmissionResponse() throws Exception {
    try (KubewardenPolicy policy =
        KubewardenPolicy.load(
            KubewardenRegoTest.spec(MODULE)
                .option("executionMode", Json.readTree("\"opa\"".getBytes()))
                .build())) {
      AdmissionRequest request = KubewardenRegoTest.request("pod-team-namespace.json");
      AdmissionResponse response = policy.validate(request, true, e -> {});
      assertThat(response.allowed()).isTrue();
      assertThat(response.uid()).isEqualTo("0df28fbd-5f5f-4cbc-9f2e-6b6b7b3f4a02"); // not "ignored"
      assertThat(response.warnings()).containsExactly("labelled by rego");
      assertThat(response.auditAnnotations()).containsEntry("rego", "mutated");
      JsonNode patch = Json.readTree(Base64.getDecoder().decode(response.patch()));
      assertThat(patch)
          .isEqualTo(
              Json.readTree(
                  "[{\"op\":\"add\",\"path\":\"/metadata/labels/rego\",\"value\":\"yes\"}]"
                      .getBytes(StandardCharsets.UTF_8)));
      // policy-server refuses the mutation of a policy not allowed to mutate
      AdmissionResponse refused = policy.validate(request, false, e -> {});
      assertThat(refused.allowed()).isFalse();
      assertThat(refused.status().message()).contains("not allow mutations");
    }
  }

  @Test
  void aResponseWithoutAllowedIsAnInvalidAnswer() throws Exception {
    try (RegoPolicy policy =
            RegoPolicy.builder(
                    ModuleSpec.builder("response").path(KubewardenRegoTest.corpus(MODULE)).build())
                .build();
        RegoOperations operations = new RegoOperations(policy, ExecutionMode.OPA, 1)) {
      byte[] payload =
          Json.write(
              Json.readTree(
                  ("{\"request\":"
                          + new String(
                              Files.readAllBytes(
                                  KubewardenRegoTest.corpus("requests/pod-team-namespace.json")),
                              StandardCharsets.UTF_8)
                          + ",\"settings\":{}}")
                      .getBytes(StandardCharsets.UTF_8)));
      assertThatThrownBy(() -> operations.call("validate", payload))
          .isInstanceOfSatisfying(
              ModuleException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(FailureReason.BAD_OUTPUT);
                assertThat(e.detail()).isEqualTo("missing field `allowed`");
              });
      assertThat(
              new String(
                  operations.call("validate_settings", "{}".getBytes()), StandardCharsets.UTF_8))
          .isEqualTo("{\"valid\":true}");
      assertThatThrownBy(() -> operations.call("protocol_version", new byte[0]))
          .isInstanceOfSatisfying(
              ModuleException.class,
              e -> assertThat(e.reason()).isEqualTo(FailureReason.UNSUPPORTED));
    }
  }
}
