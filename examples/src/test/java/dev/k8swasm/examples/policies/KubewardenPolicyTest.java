package dev.k8swasm.examples.policies;

import static dev.k8swasm.testing.WasmAssertions.assertThat;

import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleType;
import dev.k8swasm.testing.Fixtures;
import dev.k8swasm.testing.Policy;
import dev.k8swasm.testing.WasmPolicy;
import dev.k8swasm.testing.kubewarden.HostCapabilityStubs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * A Kubewarden policy (our waPC test policy, built like a TinyGo one) tested as its authors would
 * with {@code kwctl run} and bats, but in JUnit: settings, requests from files, a replayed kwctl
 * session for its DNS lookup, and stubs for its other host calls.
 */
@EnabledIf("kubewardenRuntimeAvailable")
@WasmPolicy(
    value = "modules/kubewarden/policy_wapc_start.wasm",
    type = "kubewarden",
    settingsFile = "requests/kubewarden/settings-forbid.json",
    name = "forbid")
@WasmPolicy(
    value = "modules/kubewarden/policy_wapc_start.wasm",
    type = "kubewarden",
    settingsFile = "requests/kubewarden/settings-mutate.json",
    name = "mutate")
@WasmPolicy(
    value = "modules/kubewarden/policy_wapc_start.wasm",
    type = "kubewarden",
    settings = "{dnsLookup: example.com}",
    options = "{allowedHostCapabilities: ['net/v1/dns_lookup_host']}",
    hostCapabilities = "requests/kubewarden/session-dns.yml",
    name = "dns")
@WasmPolicy(
    value = "modules/kubewarden/policy_wapc_start.wasm",
    type = "kubewarden",
    settings = "{canI: {user: alice, verb: create, resource: pods, namespace: default}}",
    options = "{allowedHostCapabilities: ['kubernetes/can_i']}",
    name = "can-i")
class KubewardenPolicyTest {

  static boolean kubewardenRuntimeAvailable() {
    return ModuleRuntimes.types().contains(ModuleType.KUBEWARDEN);
  }

  @Test
  void rejectsAForbiddenLabel(@WasmPolicy(name = "forbid") Policy policy) {
    assertThat(
            policy.admit(Fixtures.admissionReview("requests/kubewarden/pod-create-forbidden.json")))
        .isDenied()
        .withMessage("label forbidden is forbidden");
    assertThat(policy.admit(Fixtures.admissionReview("requests/kubewarden/pod-create.json")))
        .isAllowed()
        .doesNotMutate();
  }

  @Test
  void acceptsABareAdmissionRequestAsKwctlDoes(@WasmPolicy(name = "forbid") Policy policy) {
    assertThat(policy.admit(Fixtures.admissionReview("requests/kubewarden/pod-request.json")))
        .isAllowed();
  }

  @Test
  void addsLabels(@WasmPolicy(name = "mutate") Policy policy) {
    assertThat(policy.admit(Fixtures.admissionReview("requests/kubewarden/pod-create.json")))
        .isAllowed()
        .mutates()
        .setting("/metadata/labels/owner", "k8s-wasm")
        .setting("/metadata/labels/app", "web")
        .withPatchOperations("{op: add, path: /metadata/labels/owner, value: k8s-wasm}");
  }

  @Test
  void refusesToMutateADelete(@WasmPolicy(name = "mutate") Policy policy) {
    assertThat(policy.admit(Fixtures.admissionReview("requests/kubewarden/pod-delete.json")))
        .isDenied()
        .withMessageContaining("the policy is attempting a mutation");
  }

  @Test
  void looksUpDnsFromTheRecordedSession(@WasmPolicy(name = "dns") Policy policy) {
    assertThat(policy.admit(Fixtures.admissionReview("requests/kubewarden/pod-create.json")))
        .isAllowed()
        .hasWarnings("dns:example.com=93.184.215.14");
  }

  @Test
  void asksWhetherAliceMayCreatePods(
      @WasmPolicy(name = "can-i") Policy policy,
      @WasmPolicy(name = "can-i") HostCapabilityStubs host) {
    host.canI().user("alice").verb("create").resource("pods").namespace("default").denied("no");
    assertThat(policy.admit(Fixtures.admissionReview("requests/kubewarden/pod-create.json")))
        .isAllowed()
        .hasWarnings("can-i:denied");
  }
}
