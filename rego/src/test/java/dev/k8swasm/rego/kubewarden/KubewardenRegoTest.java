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
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.ModuleType;
import dev.k8swasm.module.ReviewKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Kubewarden's opa and gatekeeper execution modes through kubewarden-compat's KubewardenPolicy. */
class KubewardenRegoTest {
  static final String HAPPY = "kubewarden/gatekeeper_always_happy_policy.wasm";
  static final String UNHAPPY = "kubewarden/gatekeeper_always_unhappy_policy.wasm";
  static final String NO_DEFAULT_NS = "kubewarden/no-default-namespace-rego.wasm";

  static Path corpus(String relative) {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.isDirectory(dir.resolve("examples/modules/rego"))) {
      dir = dir.getParent();
    }
    return dir.resolve("examples/modules/rego").resolve(relative);
  }

  static ModuleSpec.Builder spec(String module) {
    return ModuleSpec.builder(module.replaceAll(".*/|\\.wasm$", ""))
        .type(ModuleType.KUBEWARDEN)
        .path(corpus(module));
  }

  static byte[] review(String name) throws IOException {
    return Files.readAllBytes(corpus("requests/" + name));
  }

  static AdmissionRequest request(String name) throws IOException {
    return Json.convert(Json.readTree(review(name)).get("request"), AdmissionRequest.class);
  }

  @Test
  void gatekeeperPolicyWithoutViolationsAllows() throws IOException {
    try (KubewardenPolicy policy =
        KubewardenPolicy.load(
            spec(HAPPY)
                .option("executionMode", Json.readTree("\"gatekeeper\"".getBytes()))
                .build())) {
      assertThat(policy.executionMode()).isEqualTo(ExecutionMode.GATEKEEPER);
      AdmissionResponse response = policy.validate(request("pod-default-namespace.json"));
      assertThat(Json.writeString(response))
          .isEqualTo("{\"uid\":\"0df28fbd-5f5f-4cbc-9f2e-6b6b7b3f4a01\",\"allowed\":true}");
    }
  }

  @Test
  void gatekeeperViolationsDenyWithTheirMessages() throws IOException {
    try (KubewardenPolicy policy = KubewardenPolicy.load(spec(UNHAPPY).build())) {
      assertThat(policy.executionMode()).isEqualTo(ExecutionMode.GATEKEEPER); // from its metadata
      AdmissionResponse response = policy.validate(request("pod-team-namespace.json"));
      assertThat(Json.writeString(response))
          .isEqualTo(
              "{\"uid\":\"0df28fbd-5f5f-4cbc-9f2e-6b6b7b3f4a02\",\"allowed\":false,"
                  + "\"status\":{\"message\":\"failing as expected\"}}");
      assertThat(policy.metadata().rules()).isNotEmpty();
    }
  }

  @Test
  void opaModeGetsTheRequestUnderInputRequest() throws IOException {
    // no metadata: detected from its opa_* exports
    try (KubewardenPolicy policy = KubewardenPolicy.load(spec(NO_DEFAULT_NS).build())) {
      assertThat(policy.executionMode()).isEqualTo(ExecutionMode.OPA);
      assertThat(Json.writeString(policy.validate(request("pod-default-namespace.json"))))
          .isEqualTo(
              "{\"uid\":\"0df28fbd-5f5f-4cbc-9f2e-6b6b7b3f4a01\",\"allowed\":false,"
                  + "\"status\":{\"message\":\"you cannot use the default namespace\"}}");
      assertThat(Json.writeString(policy.validate(request("pod-team-namespace.json"))))
          .isEqualTo("{\"uid\":\"0df28fbd-5f5f-4cbc-9f2e-6b6b7b3f4a02\",\"allowed\":true}");
    }
  }

  @Test
  void monitorModeAllowsWhatTheRegoPolicyDenies() throws IOException {
    try (KubewardenPolicy policy =
        KubewardenPolicy.load(
            spec(UNHAPPY).option("policyMode", Json.readTree("\"monitor\"".getBytes())).build())) {
      assertThat(policy.validate(request("pod-team-namespace.json")).allowed()).isTrue();
    }
  }

  @Test
  void theKubewardenRuntimeEvaluatesAdmissionReviews() throws IOException {
    try (var module = ModuleRuntimes.load(spec(NO_DEFAULT_NS).build())) {
      JsonNode out = module.evaluate(ReviewKind.ADMISSION, review("pod-default-namespace.json"));
      assertThat(out.path("kind").asText()).isEqualTo("AdmissionReview");
      assertThat(out.path("response").path("allowed").asBoolean()).isFalse();
      assertThat(out.path("response").path("status").path("message").asText())
          .isEqualTo("you cannot use the default namespace");
    }
  }

  @Test
  void opaModeRejectsAModuleThatDoesNotAnswerAnAdmissionReview() {
    // rbac's entrypoint 0 answers {"allow":..., ...}: no response member
    try (KubewardenPolicy policy =
        KubewardenPolicy.load(
            ModuleSpec.builder("rbac")
                .type(ModuleType.KUBEWARDEN)
                .path(corpus("opa/rbac.wasm"))
                .build())) {
      AdmissionResponse response = policy.validate(request("pod-team-namespace.json"));
      assertThat(response.allowed()).isFalse();
      assertThat(Json.writeString(response))
          .contains("\"code\":500")
          .contains("internal server error: cannot interpret OPA policy result");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void unsupportedBuiltinsFailAtLoad() {
    assertThatThrownBy(
            () ->
                KubewardenPolicy.load(
                    ModuleSpec.builder("custom")
                        .type(ModuleType.KUBEWARDEN)
                        .path(corpus("opa/simplebuiltincall.wasm"))
                        .build()))
        .isInstanceOfSatisfying(
            ModuleException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.LOAD_FAILED);
              assertThat(e.getMessage()).contains("builtin custom.func is not supported");
            });
  }
}
