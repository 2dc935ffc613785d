package dev.k8swasm.kubewarden;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.json.Json;
import dev.k8swasm.kubewarden.capabilities.HostCapabilities;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.InstanceStrategy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The warm-up a waPC policy gets at load before its snapshot: synthetic input only, no host
 * capability reached, and answers that are those of a policy without warm-up.
 */
class WarmUpTest {

  @Test
  void theCallsAreTheSettingsCheckThenValidateOfTheSyntheticPodWithTheSettings() {
    JsonNode settings = TestPolicies.parse("{\"denied_names\":[\"x\"]}");
    List<WarmUp.Call> calls = WarmUp.calls(settings);

    assertThat(calls).hasSize(1 + WarmUp.VALIDATE_CALLS);
    assertThat(text(calls.get(0).operation())).isEqualTo("validate_settings");
    assertThat(Json.readTree(calls.get(0).payload())).isEqualTo(settings);
    for (WarmUp.Call call : calls.subList(1, calls.size())) {
      assertThat(text(call.operation())).isEqualTo("validate");
      JsonNode payload = Json.readTree(call.payload());
      assertThat(payload.get("settings")).isEqualTo(settings);
      assertThat(payload.get("request")).isEqualTo(WarmUp.syntheticRequest());
    }
  }

  @Test
  void theSyntheticRequestIsAPodCreateWithMadeUpNamesOnly() {
    JsonNode request = WarmUp.syntheticRequest();
    assertThat(request.path("kind").path("kind").asText()).isEqualTo("Pod");
    assertThat(request.path("operation").asText()).isEqualTo("CREATE");
    assertThat(request.path("userInfo").path("username").asText())
        .isEqualTo("system:k8s-wasm:warm-up");
    assertThat(request.path("object").path("metadata").path("name").asText()).isEqualTo("warm-up");
    // the same bytes every time: nothing of a clock, a counter or an earlier request in it
    assertThat(Json.write(WarmUp.syntheticRequest())).isEqualTo(Json.write(request));
  }

  @ParameterizedTest
  @EnumSource(InstanceStrategy.class)
  void hostCapabilitiesAreNotReachedAtLoadButAreOnEveryEvaluation(InstanceStrategy strategy) {
    AtomicInteger lookups = new AtomicInteger();
    HostCapabilities host =
        HostCapabilities.builder()
            .dns(
                name -> {
                  lookups.incrementAndGet();
                  return List.of(TestHost.DNS_IP);
                })
            .build();
    try (KubewardenPolicy policy =
        KubewardenPolicy.load(
            TestPolicies.spec(TestPolicies.WAPC_START, "{\"dnsLookup\":\"example.com\"}")
                .strategy(strategy)
                .engine(Engine.COMPILER)
                .option("allowedHostCapabilities", TestPolicies.parse("[\"net/*\"]"))
                .extension(HostCapabilities.class, host)
                .build())) {
      assertThat(lookups).as("host calls while loading (and warming up)").hasValue(0);
      for (int i = 1; i <= 3; i++) {
        AdmissionResponse response = policy.validate(TestPolicies.request("pod-create.json"));
        assertThat(response.warnings()).containsExactly("dns:example.com=" + TestHost.DNS_IP);
        assertThat(lookups).hasValue(i);
      }
    }
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
