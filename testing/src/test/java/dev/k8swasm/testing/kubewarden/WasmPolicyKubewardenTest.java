package dev.k8swasm.testing.kubewarden;

import static dev.k8swasm.testing.WasmAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleType;
import dev.k8swasm.testing.Fixtures;
import dev.k8swasm.testing.Policy;
import dev.k8swasm.testing.WasmPolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** {@code @WasmPolicy(type = "kubewarden")}: stubs per test, session replay, unexpected calls. */
class WasmPolicyKubewardenTest {
  static volatile boolean running;
  static final List<Object> SEEN = new ArrayList<>();

  /** Runs the example classes only from these tests. */
  static final class OnlyHere implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return running
          ? ConditionEvaluationResult.enabled("run by a test")
          : ConditionEvaluationResult.disabled("an example class");
    }
  }

  @BeforeEach
  void kubewardenRuntime() {
    assumeTrue(ModuleRuntimes.types().contains(ModuleType.KUBEWARDEN));
  }

  private static List<String> failures(Class<?> testClass) {
    SEEN.clear();
    running = true;
    EngineExecutionResults results;
    try {
      results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute();
    } finally {
      running = false;
    }
    List<String> messages = new ArrayList<>();
    results.allEvents().failed().stream()
        .map(Event::getPayload)
        .forEach(
            p ->
                p.map(TestExecutionResult.class::cast)
                    .flatMap(TestExecutionResult::getThrowable)
                    .ifPresent(t -> messages.add(String.valueOf(t.getMessage()))));
    return messages;
  }

  static AdmissionReview pod() {
    return Fixtures.admissionReview("../examples/requests/kubewarden/pod-create.json");
  }

  @ExtendWith(OnlyHere.class)
  @WasmPolicy(
      value = HostCapabilityStubsTest.POLICY,
      type = "kubewarden",
      settings = "{dnsLookup: example.com}",
      options = "{allowedHostCapabilities: ['net/v1/dns_lookup_host']}",
      hostCapabilities = HostCapabilityStubsTest.SESSION)
  static class WithSession {
    @Test
    void first(Policy policy, HostCapabilityStubs host) {
      SEEN.add(host);
      assertThat(policy.admit(pod())).hasWarnings("dns:example.com=93.184.215.14");
    }

    @Test
    void secondGetsTheSessionAgain(Policy policy) {
      assertThat(policy.admit(pod())).hasWarnings("dns:example.com=93.184.215.14");
    }

    @Test
    void aTestCanStubMore(Policy policy, HostCapabilityStubs host) {
      host.dnsLookup("example.com").returns("192.0.2.7");
      assertThat(policy.admit(pod())).hasWarnings("dns:example.com=192.0.2.7");
    }
  }

  @Test
  void theSessionIsReplayedInEveryTest() {
    assertThat(failures(WithSession.class)).isEmpty();
    assertThat(SEEN).singleElement().isInstanceOf(HostCapabilityStubs.class);
  }

  @ExtendWith(OnlyHere.class)
  @WasmPolicy(
      value = HostCapabilityStubsTest.POLICY,
      type = "kubewarden",
      settings = "{dnsLookup: example.com}",
      options = "{allowedHostCapabilities: ['*']}")
  static class WithoutStubs {
    @Test
    void callsTheNetwork(Policy policy) {
      // the test itself passes: the policy turns the host error into a warning
      assertThat(policy.admit(pod())).isAllowed();
    }
  }

  @Test
  void anUnexpectedCallFailsTheTestAfterwards() {
    assertThat(failures(WithoutStubs.class))
        .singleElement()
        .asString()
        .contains("The policy made host capability calls that nothing stubbed:")
        .contains("net/v1/dns_lookup_host \"example.com\"")
        .contains("Nothing is stubbed.");
  }

  @ExtendWith(OnlyHere.class)
  @WasmPolicy(
      value = HostCapabilityStubsTest.POLICY,
      type = "kubewarden",
      settings = "{dnsLookup: example.com}")
  static class NotGranted {
    @Test
    void isRefusedBeforeTheStubs(Policy policy, HostCapabilityStubs host) {
      host.dnsLookup("example.com").returns("192.0.2.1");
      assertThat(policy.admit(pod()))
          .hasWarningContaining("has not been granted access to the 'net/v1/dns_lookup_host'");
      assertThat(host.calls()).isEmpty();
    }
  }

  @Test
  void grantsAreCheckedAsInProduction() {
    assertThat(failures(NotGranted.class)).isEmpty();
  }

  @ExtendWith(OnlyHere.class)
  @WasmPolicy(value = HostCapabilityStubsTest.POLICY, hostCapabilities = "x.yml")
  static class SessionOnWasi {
    @Test
    void test() {}
  }

  @Test
  void aSessionNeedsAKubewardenPolicy() {
    assertThat(failures(SessionOnWasi.class))
        .singleElement()
        .asString()
        .contains("hostCapabilities is for type 'kubewarden' only");
  }
}
