package dev.k8swasm.kubewarden;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.json.Json;
import dev.k8swasm.kubewarden.capabilities.HostCapabilities;
import dev.k8swasm.kubewarden.capabilities.HostCapabilityException;
import dev.k8swasm.kubewarden.capabilities.SessionReplay;
import dev.k8swasm.kubewarden.session.SessionFile;
import dev.k8swasm.kubewarden.session.SessionRecorder;
import dev.k8swasm.module.ModuleSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Recording a policy's host capability exchanges, then replaying them without any handler. */
class RecordReplayTest {
  static final String EVERYTHING =
      "{\"dnsLookup\":\"example.com\",\"canI\":"
          + Cases.CAN_I_ALICE
          + ",\"contextResource\":"
          + Cases.CONTEXT_DEFAULT
          + ",\"addLabels\":{\"owner\":\"k8s-wasm\"}}";

  static ModuleSpec.Builder spec(Path module, String settings, HostCapabilities host) {
    return TestPolicies.spec(module, settings)
        .option("allowedHostCapabilities", TestPolicies.parse("[\"*\"]"))
        .option(
            "contextAwareResources",
            TestPolicies.parse("[{\"apiVersion\":\"v1\",\"kind\":\"Namespace\"}]"))
        .extension(HostCapabilities.class, host);
  }

  /** Handlers that fail every call: a replay must not reach them. */
  static HostCapabilities unreachable(SessionReplay replay) {
    return HostCapabilities.builder()
        .dns(
            host -> {
              throw new HostCapabilityException("the replay reached the DNS handler");
            })
        .replay(replay)
        .build();
  }

  @ParameterizedTest
  @MethodSource("dev.k8swasm.kubewarden.KubewardenPolicyTest#policies")
  void recordThenReplayGivesTheSameAnswer(Path module, @TempDir Path dir) throws Exception {
    Path session = dir.resolve("session.yml");
    AdmissionResponse recorded;
    try (KubewardenPolicy policy =
        KubewardenPolicy.load(
            spec(
                    module,
                    EVERYTHING,
                    TestHost.builder().record(SessionRecorder.toFile(session)).build())
                .build())) {
      recorded = policy.validate(TestPolicies.request("pod-create.json"));
    }
    assertThat(recorded.warnings())
        .containsExactly("dns:example.com=" + TestHost.DNS_IP, "can-i:allowed", "context:default");
    assertThat(SessionFile.read(session))
        .extracting(x -> x.request().type())
        .containsExactly("DNSLookupHost", "KubernetesCanI", "KubernetesGetResource");
    assertThat(Files.readString(session))
        .contains("  request: |\n    !DNSLookupHost\n    host: example.com\n")
        .contains("    payload: '{\"ips\":[\"93.184.215.14\"]}'\n");

    try (KubewardenPolicy policy =
        KubewardenPolicy.load(
            spec(module, EVERYTHING, unreachable(SessionReplay.fromFile(session))).build())) {
      AdmissionResponse replayed = policy.validate(TestPolicies.request("pod-create.json"));
      assertThat(Json.writeString(replayed)).isEqualTo(Json.writeString(recorded));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.k8swasm.kubewarden.KubewardenPolicyTest#policies")
  void replaysKwctlSessions(Path module) {
    SessionReplay replay = SessionReplay.fromFile(TestPolicies.REQUESTS.resolve("session-dns.yml"));
    try (KubewardenPolicy policy =
        KubewardenPolicy.load(
            spec(module, "{\"dnsLookup\":\"example.com\"}", unreachable(replay)).build())) {
      AdmissionResponse response = policy.validate(TestPolicies.request("pod-create.json"));
      assertThat(response.warnings()).containsExactly("dns:example.com=93.184.215.14");
      // the session holds one exchange: a second call has no answer
      AdmissionResponse again = policy.validate(TestPolicies.request("pod-create.json"));
      assertThat(again.warnings())
          .singleElement()
          .asString()
          .startsWith("dns-error:Callback evaluation failure: replay session ")
          .endsWith(
              "has no answer for host call 2 (DNSLookupHost): only 1 exchange(s) were recorded");
    }
  }
}
