package dev.k8swasm.kubewarden.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.wasm.Parser;
import dev.k8swasm.json.Json;
import dev.k8swasm.kubewarden.PolicyDetection;
import dev.k8swasm.module.ModuleMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The io.kubewarden.metadata custom section: every field, defaults, errors, detection. */
class PolicyMetadataTest {
  static final Path DIR = findDir();

  static Path findDir() {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.isDirectory(dir.resolve("examples/modules/kubewarden"))) {
      dir = dir.getParent();
    }
    return dir.resolve("examples/modules/kubewarden");
  }

  static PolicyMetadata parse(String json) {
    return PolicyMetadata.parse(json.getBytes());
  }

  @Test
  void readsTheSectionOfTheTestPolicies() throws Exception {
    var module = Parser.parse(DIR.resolve("policy_wapc_start.wasm"));
    PolicyMetadata m = PolicyMetadata.of(module).orElseThrow();
    assertThat(m.protocolVersion()).contains("v1");
    assertThat(m.mutating()).isTrue();
    assertThat(m.backgroundAudit()).isTrue();
    assertThat(m.executionMode()).isEqualTo(ExecutionMode.KUBEWARDEN_WAPC);
    assertThat(m.policyType()).isEqualTo(PolicyType.KUBERNETES);
    assertThat(m.contextAwareResources())
        .containsExactly(new ContextAwareResource("v1", "Namespace"));
    assertThat(m.title()).contains("k8s-wasm test policy");
    assertThat(m.annotations())
        .containsEntry("io.kubewarden.policy.version", "0.1.0")
        .containsEntry("io.kubewarden.policy.license", "Apache-2.0");
    assertThat(m.raw())
        .isEqualTo(Json.readTree(Files.readAllBytes(DIR.resolve("metadata-wapc.json"))));
    assertThat(
            PolicyMetadata.of(Parser.parse(DIR.resolve("policy_wasi.wasm")))
                .orElseThrow()
                .executionMode())
        .isEqualTo(ExecutionMode.WASI);
    assertThat(PolicyMetadata.of(Parser.parse(DIR.resolve("policy_wapc_nometa.wasm")))).isEmpty();
  }

  @Test
  void defaultsOfAnEmptyDocument() {
    PolicyMetadata m = parse("{}");
    assertThat(m.protocolVersion()).isEmpty();
    assertThat(m.rules()).isEmpty();
    assertThat(m.annotations()).isEmpty();
    assertThat(m.mutating()).isFalse();
    assertThat(m.backgroundAudit()).isTrue();
    assertThat(m.executionMode()).isEqualTo(ExecutionMode.KUBEWARDEN_WAPC);
    assertThat(m.policyType()).isEqualTo(PolicyType.KUBERNETES);
    assertThat(m.contextAwareResources()).isEmpty();
    assertThat(m.hostCapabilities()).isEmpty();
    assertThat(m.minimumKubewardenVersion()).isEmpty();
    assertThat(m.toModuleMetadata())
        .isEqualTo(ModuleMetadata.builder().mutating(false).raw(m.raw()).build());
  }

  @Test
  void everyField() {
    PolicyMetadata m =
        parse(
            "{\"protocolVersion\":\"v1\",\"rules\":[{\"apiGroups\":[\"apps\"],\"apiVersions\":[\"v1\"],"
                + "\"resources\":[\"deployments\"],\"operations\":[\"*\"]}],\"annotations\":{\"io.kubewarden.policy.title\":\"t\"},"
                + "\"mutating\":false,\"backgroundAudit\":false,\"executionMode\":\"opa\",\"policyType\":\"raw\","
                + "\"contextAwareResources\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\"}],"
                + "\"hostCapabilities\":[\"oci/*\"],\"minimumKubewardenVersion\":\"1.10.0\",\"extra\":1}");
    assertThat(m.rules().orElseThrow().get(0).resources()).containsExactly("deployments");
    assertThat(m.backgroundAudit()).isFalse();
    assertThat(m.executionMode()).isEqualTo(ExecutionMode.OPA);
    assertThat(m.executionMode().supported()).isFalse();
    assertThat(m.policyType()).isEqualTo(PolicyType.RAW);
    assertThat(m.contextAwareResources())
        .containsExactly(new ContextAwareResource("apps/v1", "Deployment"));
    assertThat(m.hostCapabilities()).contains(List.of("oci/*"));
    assertThat(m.minimumKubewardenVersion()).contains("1.10.0");
    assertThat(m.raw().get("extra").asInt()).isEqualTo(1);
    assertThat(parse("{\"executionMode\":\"gatekeeper\"}").executionMode())
        .isEqualTo(ExecutionMode.GATEKEEPER);
    assertThat(parse("{\"annotations\":{\"a\":\"b\"}}").annotations()).isEqualTo(Map.of("a", "b"));
  }

  @Test
  void invalidMetadata() {
    for (String[] bad :
        new String[][] {
          {"[]", "must hold a JSON object"},
          {"{", "not valid JSON"},
          {"{\"mutating\":\"yes\"}", "'mutating' must be true or false"},
          {"{\"executionMode\":\"native\"}", "unknown execution mode 'native'"},
          {"{\"policyType\":\"other\"}", "unknown policy type 'other'"},
          {"{\"rules\":{}}", "'rules' must be a list"},
          {"{\"rules\":[{\"operations\":\"CREATE\"}]}", "rules[0]: not a valid RuleWithOperations"},
          {"{\"annotations\":[]}", "'annotations' must be an object"},
          {"{\"annotations\":{\"a\":1}}", "annotation 'a' must be a string"},
          {
            "{\"contextAwareResources\":[{\"apiVersion\":\"v1\"}]}",
            "contextAwareResources'[0] must be an object"
          },
          {"{\"hostCapabilities\":\"oci/*\"}", "'hostCapabilities' must be a list"},
          {"{\"hostCapabilities\":[1]}", "'hostCapabilities' must be a list of strings"},
          {"{\"protocolVersion\":1}", "'protocolVersion' must be a string"},
        }) {
      assertThatThrownBy(() -> parse(bad[0]))
          .as(bad[0])
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("io.kubewarden.metadata")
          .hasMessageContaining(bad[1]);
    }
  }

  @Test
  void detection() throws Exception {
    assertThat(PolicyDetection.of(Parser.parse(DIR.resolve("policy_wapc_start.wasm"))).reason())
        .isEqualTo("its metadata");
    PolicyDetection nometa =
        PolicyDetection.of(Parser.parse(DIR.resolve("policy_wapc_nometa.wasm")));
    assertThat(nometa.mode()).isEqualTo(ExecutionMode.KUBEWARDEN_WAPC);
    assertThat(nometa.reason()).isEqualTo("no metadata; exports __guest_call");
    Path opa = Path.of("src/test/resources/modules/opa_like.wasm");
    assertThat(PolicyDetection.of(Parser.parse(opa)).mode()).isEqualTo(ExecutionMode.OPA);
    for (String file :
        List.of(
            "policy_wapc_start.wasm",
            "policy_wapc_init.wasm",
            "policy_wapc_nometa.wasm",
            "policy_wasi.wasm")) {
      assertThat(PolicyDetection.isKubewardenPolicy(Parser.parse(DIR.resolve(file))))
          .as(file)
          .isTrue();
    }
    assertThat(PolicyDetection.isKubewardenPolicy(Parser.parse(opa))).isTrue();
    Path wasiContract = DIR.getParent().resolve("magic_validator.wasm");
    assertThat(PolicyDetection.isKubewardenPolicy(Parser.parse(wasiContract))).isFalse();
  }
}
