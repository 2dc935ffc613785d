package dev.k8swasm.kubewarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.json.Json;
import dev.k8swasm.kubewarden.capabilities.HostCapabilities;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ReviewKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The waPC protocol's edge cases and the host's bounds checks, with the hand-made guest
 * wapc_edge.wat (its behaviour is picked by the length of the operation name): bad pointers are
 * guest failures, never host crashes, and the next call works.
 */
class WapcProtocolTest {
  static final Path EDGE = TestPolicies.module("wapc_edge.wasm");

  static KubewardenPolicy load(InstanceStrategy strategy, Engine engine, String... allowed) {
    StringBuilder patterns = new StringBuilder("[");
    for (int i = 0; i < allowed.length; i++) {
      patterns.append(i == 0 ? "" : ",").append('"').append(allowed[i]).append('"');
    }
    return KubewardenPolicy.load(
        TestPolicies.spec(EDGE)
            .strategy(strategy)
            .engine(engine)
            .limits(Limits.builder().timeout(Duration.ofMillis(300)).build())
            .option("allowedHostCapabilities", TestPolicies.parse(patterns.append("]").toString()))
            .extension(HostCapabilities.class, TestHost.builder().build())
            .build());
  }

  static String call(KubewardenPolicy policy, String op, String payload) {
    return new String(
        policy.call(op, payload.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }

  static void fails(KubewardenPolicy policy, String op, FailureReason reason, String detail) {
    assertThatThrownBy(() -> policy.call(op, "{}".getBytes()))
        .isInstanceOfSatisfying(
            ModuleException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.detail()).startsWith("Guest call failure: ").contains(detail);
            });
    // a failure never leaves the policy unusable
    assertThat(call(policy, "0123456789", "still works")).isEqualTo("still works");
  }

  @ParameterizedTest
  @EnumSource(InstanceStrategy.class)
  void badPointersAreGuestErrorsNotHostCrashes(InstanceStrategy strategy) {
    try (KubewardenPolicy policy = load(strategy, Engine.COMPILER)) {
      fails(
          policy,
          "a",
          FailureReason.TRAP,
          "guest memory access out of bounds in __guest_response: 65500+100 > 65536");
      fails(
          policy,
          "bb",
          FailureReason.TRAP,
          "guest memory access out of bounds in __guest_error: 65530+10 > 65536");
      fails(
          policy,
          "1234567",
          FailureReason.TRAP,
          "guest memory access out of bounds in __guest_request: 65535+2 > 65536");
      fails(
          policy,
          "12345678",
          FailureReason.TRAP,
          "guest memory access out of bounds in __host_call: 70000+10 > 65536");
      fails(
          policy,
          "123456789",
          FailureReason.TRAP,
          "guest memory access out of bounds in __console_log: 4294967295+2 > 65536");
    }
  }

  @ParameterizedTest
  @EnumSource(InstanceStrategy.class)
  void guestCallProtocol(InstanceStrategy strategy) {
    try (KubewardenPolicy policy = load(strategy, Engine.COMPILER)) {
      fails(
          policy,
          "ccc",
          FailureReason.BAD_OUTPUT,
          "Guest call failure: No error message OR response set for call success");
      fails(
          policy,
          "dddd",
          FailureReason.MODULE_ERROR,
          "Guest call failure: No error message set for call failure");
      fails(policy, "eeeee", FailureReason.TRAP, "unreachable");
      fails(policy, "zz-unknown-length-13", FailureReason.MODULE_ERROR, "unsupported");
      assertThat(call(policy, "0123456789", "{\"echo\":true}")).isEqualTo("{\"echo\":true}");
      assertThat(call(policy, "0123456789", "")).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aGuestThatNeverReturnsIsStoppedByTheDeadline(Engine engine) {
    try (KubewardenPolicy policy = load(InstanceStrategy.SNAPSHOT, engine)) {
      long start = System.nanoTime();
      fails(
          policy,
          "ffffff",
          FailureReason.TIMEOUT,
          "Guest call failure: guest code interrupted, execution deadline exceeded");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
  }

  @ParameterizedTest
  @EnumSource(InstanceStrategy.class)
  void everyCallStartsFromTheInitialState(InstanceStrategy strategy) {
    try (KubewardenPolicy policy = load(strategy, Engine.COMPILER)) {
      for (int i = 0; i < 5; i++) {
        // the guest grows its memory by one page and answers the page count
        assertThat(policy.call("123456789012", new byte[0])).containsExactly(2);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(InstanceStrategy.class)
  void hostCallsAnswerThroughHostResponseAndHostError(InstanceStrategy strategy) {
    try (KubewardenPolicy granted = load(strategy, Engine.COMPILER, "net/*");
        KubewardenPolicy denied = load(strategy, Engine.COMPILER);
        KubewardenPolicy other = load(strategy, Engine.COMPILER, "oci/*", "kubernetes/*")) {
      String op = "12345678901";
      assertThat(call(granted, op, "\"example.com\""))
          .isEqualTo("ok:{\"ips\":[\"" + TestHost.DNS_IP + "\"]}");
      assertThat(call(granted, op, "\"nx.invalid\""))
          .isEqualTo("err:Callback evaluation failure: lookup nx.invalid: no such host");
      assertThat(call(granted, op, "not json"))
          .startsWith("err:invalid request for net/v1/dns_lookup_host: not JSON");
      String notGranted =
          "err:Policy has not been granted access to the 'net/v1/dns_lookup_host' host"
              + " capability. The violation has been reported.";
      assertThat(call(denied, op, "\"example.com\"")).isEqualTo(notGranted);
      assertThat(call(other, op, "\"example.com\"")).isEqualTo(notGranted);
    }
  }

  @ParameterizedTest
  @EnumSource(InstanceStrategy.class)
  void guestFailuresThroughThePublicApi(InstanceStrategy strategy) {
    // "validate" has 8 characters: the guest passes __host_call a bad pointer and traps
    try (KubewardenPolicy policy = load(strategy, Engine.COMPILER)) {
      AdmissionResponse response = policy.validate(TestPolicies.request("pod-create.json"));
      assertThat(response.allowed()).isFalse();
      assertThat(response.uid()).isEqualTo("705ab4f5-6393-11e8-b7cc-42010a800002");
      assertThat(response.status().code()).isEqualTo(500);
      assertThat(response.status().message())
          .startsWith("internal server error: Guest call failure: ")
          .contains("guest memory access out of bounds in __host_call");
      assertThat(response.patch()).isNull();
      byte[] review = Json.write(TestPolicies.review("pod-create.json"));
      assertThatThrownBy(() -> policy.evaluate(ReviewKind.ADMISSION, review))
          .isInstanceOfSatisfying(
              ModuleException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(FailureReason.TRAP);
                assertThat(e.detail()).startsWith("Guest call failure: ");
              });
    }
  }
}
