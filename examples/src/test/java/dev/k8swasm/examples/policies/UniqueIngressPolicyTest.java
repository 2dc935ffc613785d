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
 * A context-aware Kubewarden policy (modules/kubewarden/unique_ingress.wasm) tested with stubbed
 * cluster state: the Ingresses that {@code kubernetes/list_resources_all} returns. The library
 * grants nothing by itself, so the test grants the one capability the policy declares; the
 * Kubernetes resource (networking.k8s.io/v1 Ingress) comes from the policy's metadata.
 */
@EnabledIf("kubewardenRuntimeAvailable")
@WasmPolicy(
    value = "modules/kubewarden/unique_ingress.wasm",
    type = "kubewarden",
    options = "{allowedHostCapabilities: ['kubernetes/list_resources_all']}")
class UniqueIngressPolicyTest {
  static final String OTHER =
      "{apiVersion: networking.k8s.io/v1, kind: Ingress,"
          + " metadata: {name: storefront, namespace: shop-legacy},"
          + " spec: {rules: [{host: shop.example.com}]}}";
  static final String ITSELF =
      "{apiVersion: networking.k8s.io/v1, kind: Ingress, metadata: {name: web, namespace: shop},"
          + " spec: {rules: [{host: shop.example.com}]}}";

  static boolean kubewardenRuntimeAvailable() {
    return ModuleRuntimes.types().contains(ModuleType.KUBEWARDEN);
  }

  @Test
  void rejectsAHostAnotherIngressUses(Policy policy, HostCapabilityStubs cluster) {
    cluster.listResources("networking.k8s.io/v1", "Ingress").returns(ITSELF, OTHER);
    assertThat(policy.admit(Fixtures.admissionReview("requests/kubewarden/ingress-create.json")))
        .isDenied()
        .withMessage("host shop.example.com is already used by Ingress shop-legacy/storefront");
  }

  @Test
  void acceptsWhenOnlyItselfUsesTheHost(Policy policy, HostCapabilityStubs cluster) {
    cluster.listResources("networking.k8s.io/v1", "Ingress").returns(ITSELF);
    assertThat(policy.admit(Fixtures.admissionReview("requests/kubewarden/ingress-create.json")))
        .isAllowed()
        .doesNotMutate();
  }

  @Test
  void rejectsWhenTheClusterCannotBeAsked(Policy policy, HostCapabilityStubs cluster) {
    cluster.listResources("networking.k8s.io/v1", "Ingress").fails("connection refused");
    assertThat(policy.admit(Fixtures.admissionReview("requests/kubewarden/ingress-create.json")))
        .isDenied()
        .withMessageContaining("cannot check that the hosts are unique:")
        .withMessageContaining("connection refused");
  }
}
