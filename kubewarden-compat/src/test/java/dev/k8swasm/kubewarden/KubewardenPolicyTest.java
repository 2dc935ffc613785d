package dev.k8swasm.kubewarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.admission.AdmissionChain;
import dev.k8swasm.admission.AdmissionRequest;
import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.admission.ModuleAdmissionController;
import dev.k8swasm.admission.rules.RuleWithOperations;
import dev.k8swasm.config.ChainOptions;
import dev.k8swasm.config.Chains;
import dev.k8swasm.config.ConfigException;
import dev.k8swasm.config.ConfigLoader;
import dev.k8swasm.config.PolicyConfig;
import dev.k8swasm.json.Json;
import dev.k8swasm.kubewarden.capabilities.HostCapabilities;
import dev.k8swasm.kubewarden.metadata.ExecutionMode;
import dev.k8swasm.kubewarden.metadata.PolicyType;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.ModuleType;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The public API of {@link KubewardenPolicy}, and its use by core's admission chains. */
class KubewardenPolicyTest {
  static final String UID = "705ab4f5-6393-11e8-b7cc-42010a800002";

  static Stream<Path> policies() {
    return Stream.of(
        TestPolicies.WAPC_START,
        TestPolicies.WAPC_INIT,
        TestPolicies.WAPC_NOMETA,
        TestPolicies.WASI);
  }

  static String patch(AdmissionResponse response) {
    return new String(Base64.getDecoder().decode(response.patch()));
  }

  @ParameterizedTest
  @MethodSource("policies")
  void validateAsKwctlDoes(Path module) {
    try (KubewardenPolicy policy =
        KubewardenPolicy.load(TestPolicies.spec(module, Cases.MUTATE).build())) {
      AdmissionResponse mutated = policy.validate(TestPolicies.request("pod-create.json"));
      assertThat(Json.writeString(mutated))
          .isEqualTo(
              "{\"uid\":\""
                  + UID
                  + "\",\"allowed\":true,\"patch\":\""
                  + Base64.getEncoder()
                      .encodeToString(
                          "[{\"op\":\"add\",\"path\":\"/metadata/labels/owner\",\"value\":\"k8s-wasm\"}]"
                              .getBytes())
                  + "\",\"patchType\":\"JSONPatch\"}");
      // DELETE: the policy mutates a null object, which Kubewarden refuses
      AdmissionResponse delete = policy.validate(TestPolicies.request("pod-delete.json"));
      assertThat(Json.writeString(delete))
          .isEqualTo(
              "{\"uid\":\"705ab4f5-6393-11e8-b7cc-42010a800005\",\"allowed\":false,\"status\":{\"message\":\""
                  + AdmissionResponses.DELETE_MUTATION_MESSAGE
                  + "\"}}");
    }
    try (KubewardenPolicy policy =
        KubewardenPolicy.load(
            TestPolicies.spec(
                    module,
                    "{\"forbiddenLabels\":[\"forbidden\"],\"rejectCode\":403,"
                        + "\"warnings\":[\"w\"],\"annotate\":{\"k\":\"v\"}}")
                .build())) {
      AdmissionResponse denied = policy.validate(TestPolicies.request("pod-create-forbidden.json"));
      assertThat(Json.writeString(denied))
          .isEqualTo(
              "{\"uid\":\"705ab4f5-6393-11e8-b7cc-42010a800003\",\"allowed\":false,\"status\":"
                  + "{\"message\":\"label forbidden is forbidden\",\"code\":403},"
                  + "\"auditAnnotations\":{\"k\":\"v\"},\"warnings\":[\"w\"]}");
      // no message and no code: no status at all
      AdmissionResponse allowed = policy.validate(TestPolicies.request("pod-request.json"));
      assertThat(allowed.status()).isNull();
      assertThat(allowed.allowed()).isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("policies")
  void guestFailuresAreInternalServerErrorsForKwctlAndThrownForChains(Path module) {
    try (KubewardenPolicy policy =
        KubewardenPolicy.load(TestPolicies.spec(module, "{\"failWith\":\"boom\"}").build())) {
      AdmissionResponse response = policy.validate(TestPolicies.request("pod-create.json"));
      assertThat(response.allowed()).isFalse();
      assertThat(response.status().code()).isEqualTo(500);
      String expected =
          policy.executionMode() == ExecutionMode.WASI
              ? "internal server error: program exited with code Some(1); stderr set to"
                  + " 'boom\n', error: 'Exited with i32 exit status 1'"
              : "internal server error: Guest call failure: boom";
      assertThat(response.status().message()).isEqualTo(expected);

      byte[] review = Json.write(TestPolicies.review("pod-create.json"));
      assertThatThrownBy(() -> policy.evaluate(ReviewKind.ADMISSION, review))
          .isInstanceOfSatisfying(
              ModuleException.class,
              e ->
                  assertThat(e.reason())
                      .isEqualTo(
                          policy.executionMode() == ExecutionMode.WASI
                              ? FailureReason.EXIT_CODE
                              : FailureReason.MODULE_ERROR));
      // in a chain, the failure policy decides: Fail denies with 500 naming the module
      try (AdmissionChain chain =
          AdmissionChain.builder()
              .add(
                  dev.k8swasm.admission.AdmissionHook.builder(
                          policy.name(), ModuleAdmissionController.validating(policy))
                      .rules(dev.k8swasm.admission.rules.RuleWithOperations.ALL)
                      .build())
              .build()) {
        AdmissionResponse denied = chain.admit(TestPolicies.review("pod-create.json")).response();
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.status().code()).isEqualTo(500);
        assertThat(denied.status().message())
            .startsWith("failed calling module \"" + policy.name() + "\"")
            .contains(expected.substring("internal server error: ".length()));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("policies")
  void evaluateAnswersAnAdmissionReview(Path module) {
    try (PolicyModule policy =
        ModuleRuntimes.load(TestPolicies.spec(module, Cases.MUTATE).build())) {
      assertThat(policy).isInstanceOf(KubewardenPolicy.class);
      assertThat(policy.kinds()).containsExactly(ReviewKind.ADMISSION);
      JsonNode answer =
          policy.evaluate(ReviewKind.ADMISSION, Json.write(TestPolicies.review("pod-create.json")));
      assertThat(answer.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
      assertThat(answer.path("kind").asText()).isEqualTo("AdmissionReview");
      assertThat(answer.path("response").path("uid").asText()).isEqualTo(UID);
      assertThat(answer.path("response").path("patchType").asText()).isEqualTo("JSONPatch");
      // through core's controller: verified and re-diffed, same patch
      AdmissionReview admitted =
          ModuleAdmissionController.mutating(policy).admit(TestPolicies.review("pod-create.json"));
      assertThat(patch(admitted.response()))
          .isEqualTo(
              "[{\"op\":\"add\",\"path\":\"/metadata/labels/owner\",\"value\":\"k8s-wasm\"}]");
      assertThatThrownBy(() -> policy.evaluate(ReviewKind.AUTHORIZATION, "{}".getBytes()))
          .isInstanceOfSatisfying(
              ModuleException.class,
              e -> assertThat(e.reason()).isEqualTo(FailureReason.UNSUPPORTED));
      assertThatThrownBy(() -> policy.evaluate(ReviewKind.ADMISSION, "{\"kind\":1}".getBytes()))
          .isInstanceOfSatisfying(
              ModuleException.class,
              e -> assertThat(e.reason()).isEqualTo(FailureReason.BAD_REQUEST));
      assertThatThrownBy(() -> policy.evaluate(ReviewKind.ADMISSION, "not json".getBytes()))
          .isInstanceOfSatisfying(
              ModuleException.class,
              e -> assertThat(e.reason()).isEqualTo(FailureReason.BAD_REQUEST));
    }
  }

  @ParameterizedTest
  @MethodSource("policies")
  void invalidSettingsStopTheLoadWithThePolicysMessage(Path module) {
    assertThatThrownBy(
            () ->
                KubewardenPolicy.load(
                    TestPolicies.spec(module, "{\"forbiddenLabels\":\"forbidden\"}").build()))
        .isInstanceOfSatisfying(
            ModuleException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.INVALID_SETTINGS);
              assertThat(e.detail())
                  .isEqualTo(
                      "the policy rejected its settings: forbiddenLabels must be a list of strings");
            });
    // null settings are sent as {}
    try (KubewardenPolicy policy =
        KubewardenPolicy.load(TestPolicies.spec(module).settings(null).build())) {
      assertThat(policy.settings()).isEqualTo(TestPolicies.parse("{}"));
      assertThat(policy.validateSettings(null)).isEqualTo(SettingsValidation.ok());
      assertThat(policy.validateSettings(TestPolicies.parse("{\"rejectCode\":\"x\"}")))
          .isEqualTo(SettingsValidation.invalid("rejectCode must be an integer"));
    }
  }

  @Test
  void invalidSettingsInAConfigurationAreReportedWithFileAndModule(@TempDir Path dir)
      throws Exception {
    Path config = dir.resolve("admission.yaml");
    Files.writeString(
        config,
        "modules:\n"
            + "- name: labels\n"
            + "  type: kubewarden\n"
            + "  module: "
            + TestPolicies.WAPC_START
            + "\n"
            + "  settings: {addLabels: [owner]}\n");
    assertThatThrownBy(() -> Chains.admission(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("admission.yaml")
        .hasMessageContaining("labels")
        .hasMessageContaining("addLabels must be an object mapping label names to string values")
        .hasMessageContaining("INVALID_SETTINGS");
  }

  static AdmissionChain chain(String yaml) {
    PolicyConfig config =
        ConfigLoader.parse(
            Json.readTree(yaml.getBytes()), TestPolicies.POLICIES, "test configuration");
    return Chains.admission(
        config,
        ChainOptions.builder()
            .specCustomizer(b -> b.extension(HostCapabilities.class, TestHost.builder().build()))
            .build());
  }

  @Test
  void chainsTakeRulesAndMutatingFromTheMetadata() {
    try (AdmissionChain chain =
        chain(
            "modules:\n- {name: labels, type: kubewarden, module: policy_wapc_start.wasm,"
                + " settings: {addLabels: {owner: k8s-wasm}}}\n")) {
      assertThat(chain.mutators()).hasSize(1);
      AdmissionReview admitted = chain.admit(TestPolicies.review("pod-create.json"));
      assertThat(admitted.response().allowed()).isTrue();
      assertThat(patch(admitted.response()))
          .isEqualTo(
              "[{\"op\":\"add\",\"path\":\"/metadata/labels/owner\",\"value\":\"k8s-wasm\"}]");
      // the metadata's rules match pods CREATE/UPDATE only: a DELETE is not sent to the policy
      AdmissionReview delete = chain.admit(TestPolicies.review("pod-delete.json"));
      assertThat(delete.response().allowed()).isTrue();
      assertThat(delete.response().patch()).isNull();
    }
  }

  @Test
  void aPolicyConfiguredAsValidatingMayNotMutate() {
    try (AdmissionChain chain =
        chain(
            "modules:\n- {name: labels, type: kubewarden, module: policy_wasi.wasm, mutating: false,"
                + " settings: {addLabels: {owner: k8s-wasm}}}\n")) {
      AdmissionResponse response = chain.admit(TestPolicies.review("pod-create.json")).response();
      assertThat(response.allowed()).isFalse();
      assertThat(response.status().code()).isEqualTo(500);
      assertThat(response.status().message())
          .contains("a validating module may not return a patch");
    }
    // the policy-server form, through the API
    try (KubewardenPolicy policy =
        KubewardenPolicy.load(TestPolicies.spec(TestPolicies.WASI, Cases.MUTATE).build())) {
      AdmissionResponse response = policy.validate(TestPolicies.request("pod-create.json"), false);
      assertThat(Json.writeString(response))
          .isEqualTo(
              "{\"uid\":\""
                  + UID
                  + "\",\"allowed\":false,\"status\":{\"message\":\"Request rejected by policy"
                  + " policy_wasi. The policy attempted to mutate the request, but it is currently"
                  + " configured to not allow mutations.\"}}");
      assertThat(policy.validate(TestPolicies.request("pod-create.json"), true).patch())
          .isNotNull();
    }
  }

  @Test
  void configurationOverridesTheExecutionModeAndGrantsCapabilities() {
    try (AdmissionChain chain =
        chain(
            "modules:\n- name: dns\n  type: kubewarden\n  module: policy_wapc_init.wasm\n"
                + "  rules: [{apiGroups: [''], apiVersions: [v1], resources: [pods], operations: [CREATE]}]\n"
                + "  allowedHostCapabilities: [net/v1/dns_lookup_host]\n"
                + "  settings: {dnsLookup: example.com, contextResource: {api_version: v1, kind: Namespace, name: default}}\n")) {
      AdmissionResponse response = chain.admit(TestPolicies.review("pod-create.json")).response();
      assertThat(response.allowed()).isFalse();
      assertThat(response.warnings()).containsExactly("dns:example.com=" + TestHost.DNS_IP);
      assertThat(response.status().message())
          .contains(
              "context error: Policy has not been granted access to the"
                  + " 'kubernetes/get_resource' host capability. The violation has been reported.");
    }
    assertThatThrownBy(
            () ->
                chain(
                    "modules:\n- {name: x, type: kubewarden, module: policy_wapc_init.wasm,"
                        + " executionMode: wasi}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("it does not export '_start', so it is not a WASI command");
  }

  @ParameterizedTest
  @MethodSource("policies")
  void contextAwareResourcesAreGatedByKind(Path module) {
    ModuleSpec.Builder spec =
        TestPolicies.spec(
                module,
                "{\"contextResource\":{\"api_version\":\"v1\",\"kind\":\"Secret\",\"name\":\"s\"}}")
            .option("allowedHostCapabilities", TestPolicies.parse("[\"kubernetes/*\"]"))
            .extension(HostCapabilities.class, TestHost.builder().build());
    try (KubewardenPolicy policy = KubewardenPolicy.load(spec.build())) {
      AdmissionResponse response = policy.validate(TestPolicies.request("pod-create.json"));
      assertThat(response.status().message())
          .isEqualTo(
              "context error: Policy has not been granted access to Kubernetes v1/Secret"
                  + " resources. The violation has been reported.");
    }
  }

  @ParameterizedTest
  @MethodSource("policies")
  void monitorModeLogsAndAllows(Path module) {
    ModuleSpec spec =
        TestPolicies.spec(
                module,
                "{\"forbiddenLabels\":[\"forbidden\"],\"addLabels\":{\"a\":\"b\"},\"warnings\":[\"w\"]}")
            .option("policyMode", TestPolicies.parse("\"monitor\""))
            .build();
    try (KubewardenPolicy policy = KubewardenPolicy.load(spec)) {
      assertThat(policy.policyMode()).isEqualTo(PolicyMode.MONITOR);
      assertThat(
              Json.writeString(policy.validate(TestPolicies.request("pod-create-forbidden.json"))))
          .isEqualTo(
              "{\"uid\":\"705ab4f5-6393-11e8-b7cc-42010a800003\",\"allowed\":true,\"warnings\":[\"w\"]}");
      assertThat(policy.validate(TestPolicies.request("pod-create.json")).patch()).isNull();
      JsonNode answer =
          policy.evaluate(
              ReviewKind.ADMISSION, Json.write(TestPolicies.review("pod-create-forbidden.json")));
      assertThat(answer.path("response").path("allowed").asBoolean()).isTrue();
      assertThat(answer.path("response").has("status")).isFalse();
    }
    try (KubewardenPolicy failing =
        KubewardenPolicy.load(
            TestPolicies.spec(module, "{\"failWith\":\"boom\"}")
                .option("policyMode", TestPolicies.parse("\"monitor\""))
                .build())) {
      JsonNode answer =
          failing.evaluate(
              ReviewKind.ADMISSION, Json.write(TestPolicies.review("pod-create.json")));
      assertThat(answer.path("response").path("allowed").asBoolean()).isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("policies")
  void rawPolicies(Path module) {
    ModuleSpec spec =
        TestPolicies.spec(
                module, "{\"forbiddenLabels\":[\"forbidden\"],\"addLabels\":{\"owner\":\"x\"}}")
            .option("policyType", TestPolicies.parse("\"raw\""))
            .build();
    try (KubewardenPolicy policy = KubewardenPolicy.load(spec)) {
      assertThat(policy.policyType()).isEqualTo(PolicyType.RAW);
      JsonNode forbidden =
          TestPolicies.parse(
              "{\"uid\":\"raw-1\",\"object\":{\"metadata\":{\"labels\":{\"forbidden\":\"1\"}}}}");
      AdmissionResponse denied = policy.validateRaw(forbidden);
      assertThat(denied.uid()).isEqualTo("raw-1");
      assertThat(denied.allowed()).isFalse();
      assertThat(denied.status().message()).isEqualTo("label forbidden is forbidden");
      // a raw mutation is a patch against the whole document
      JsonNode document = TestPolicies.parse("{\"uid\":\"raw-2\",\"object\":{\"metadata\":{}}}");
      AdmissionResponse mutated = policy.validateRaw(document);
      assertThat(mutated.allowed()).isTrue();
      JsonNode ops = Json.readTree(Base64.getDecoder().decode(mutated.patch()));
      assertThat(dev.k8swasm.admission.JsonPatches.apply(ops, document))
          .isEqualTo(TestPolicies.parse("{\"metadata\":{\"labels\":{\"owner\":\"x\"}}}"));
      // it cannot be applied to an admission request
      assertThatThrownBy(
              () ->
                  policy.evaluate(
                      ReviewKind.ADMISSION, Json.write(TestPolicies.review("pod-create.json"))))
          .isInstanceOfSatisfying(
              ModuleException.class,
              e -> assertThat(e.reason()).isEqualTo(FailureReason.BAD_OUTPUT));
    }
  }

  @Test
  void metadataGivesTheDefaults() {
    try (KubewardenPolicy policy =
        KubewardenPolicy.load(TestPolicies.spec(TestPolicies.WAPC_START).build())) {
      assertThat(policy.metadata().mutating()).contains(true);
      assertThat(policy.metadata().rules().orElseThrow())
          .containsExactly(
              RuleWithOperations.of(
                  List.of("CREATE", "UPDATE"), List.of(""), List.of("v1"), List.of("pods")));
      assertThat(policy.metadata().raw().orElseThrow().path("executionMode").asText())
          .isEqualTo("kubewarden-wapc");
      assertThat(policy.declaredMutating()).isTrue();
      assertThat(policy.capabilities().contextAwareResources())
          .containsExactly(
              new dev.k8swasm.kubewarden.metadata.ContextAwareResource("v1", "Namespace"));
      assertThat(policy.capabilities().allowList().patterns()).isEmpty();
    }
    try (KubewardenPolicy policy =
        KubewardenPolicy.load(TestPolicies.spec(TestPolicies.WAPC_NOMETA).build())) {
      assertThat(policy.metadata()).isEqualTo(dev.k8swasm.module.ModuleMetadata.NONE);
      assertThat(policy.executionMode()).isEqualTo(ExecutionMode.KUBEWARDEN_WAPC);
      assertThat(policy.policyMetadata()).isEmpty();
      assertThat(policy.declaredMutating()).isFalse();
    }
  }

  @Test
  void opaPoliciesNeedTheRegoArtifact() {
    assertThatThrownBy(
            () ->
                KubewardenPolicy.load(
                    TestPolicies.spec(TestPolicies.module("opa_like.wasm")).build()))
        .isInstanceOfSatisfying(
            ModuleException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.LOAD_FAILED);
              assertThat(e.getMessage())
                  .contains("OPA/Gatekeeper policies (execution mode 'opa'")
                  .contains("exports opa_*")
                  .contains("need the k8s-wasm-rego artifact")
                  .contains("Add the dependency dev.k8swasm:k8s-wasm-rego");
            });
    assertThatThrownBy(
            () ->
                KubewardenPolicy.load(
                    TestPolicies.spec(TestPolicies.WAPC_START)
                        .option("executionMode", TestPolicies.parse("\"gatekeeper\""))
                        .build()))
        .hasMessageContaining("execution mode 'gatekeeper', detected from the executionMode option")
        .hasMessageContaining("need the k8s-wasm-rego artifact");
  }

  @Test
  void wasiModeIsDetectedWithoutMetadata(@TempDir Path dir) throws Exception {
    Path stripped = dir.resolve("policy_wasi_nometa.wasm");
    Files.write(stripped, Wasm.withoutCustomSection(Files.readAllBytes(TestPolicies.WASI)));
    try (KubewardenPolicy policy =
        KubewardenPolicy.load(TestPolicies.spec(stripped, Cases.FORBID).build())) {
      assertThat(policy.policyMetadata()).isEmpty();
      assertThat(policy.executionMode()).isEqualTo(ExecutionMode.WASI);
      assertThat(policy.validate(TestPolicies.request("pod-create-forbidden.json")).allowed())
          .isFalse();
    }
  }

  @Test
  void badOptionsAreLoadErrors() {
    for (String[] option :
        List.of(
            new String[] {"policyMode", "\"enforce\"", "unknown policy mode 'enforce'"},
            new String[] {"executionMode", "\"wapc\"", "unknown execution mode 'wapc'"},
            new String[] {"policyType", "3", "option 'policyType': must be a string"},
            new String[] {
              "allowedHostCapabilities", "[\"oci*\"]", "invalid host capability pattern 'oci*'"
            },
            new String[] {
              "contextAwareResources", "[{\"kind\":\"Pod\"}]", "contextAwareResources'[0]"
            },
            new String[] {"frobnicate", "1", "unknown Kubewarden option 'frobnicate'"})) {
      assertThatThrownBy(
              () ->
                  KubewardenPolicy.load(
                      TestPolicies.spec(TestPolicies.WAPC_START)
                          .option(option[0], TestPolicies.parse(option[1]))
                          .build()))
          .isInstanceOfSatisfying(
              ModuleException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(FailureReason.LOAD_FAILED);
                assertThat(e.getMessage()).contains(option[2]);
              });
    }
  }

  @Test
  void notAWasmModuleOrMissing(@TempDir Path dir) throws Exception {
    Path garbage = dir.resolve("garbage.wasm");
    Files.writeString(garbage, "not wasm");
    assertThatThrownBy(() -> KubewardenPolicy.load(TestPolicies.spec(garbage).build()))
        .isInstanceOfSatisfying(
            ModuleException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.LOAD_FAILED));
    assertThatThrownBy(
            () -> KubewardenPolicy.load(TestPolicies.spec(dir.resolve("missing.wasm")).build()))
        .isInstanceOfSatisfying(
            ModuleException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.LOAD_FAILED));
  }

  @Test
  void aClosedPolicyFails() {
    KubewardenPolicy policy =
        KubewardenPolicy.load(TestPolicies.spec(TestPolicies.WAPC_INIT).build());
    policy.close();
    AdmissionRequest request = TestPolicies.request("pod-create.json");
    assertThatThrownBy(() -> policy.validate(request))
        .isInstanceOfSatisfying(
            ModuleException.class, e -> assertThat(e.reason()).isEqualTo(FailureReason.CLOSED));
  }

  @Test
  void theRuntimeIsRegistered() {
    assertThat(ModuleRuntimes.types()).contains(ModuleType.KUBEWARDEN);
    assertThat(ModuleRuntimes.forType(ModuleType.KUBEWARDEN))
        .isInstanceOf(KubewardenModuleRuntime.class);
    assertThatThrownBy(
            () ->
                new KubewardenModuleRuntime()
                    .load(TestPolicies.spec(TestPolicies.WASI).type("wasi").build()))
        .hasMessageContaining("not handled by the kubewarden runtime");
  }
}
