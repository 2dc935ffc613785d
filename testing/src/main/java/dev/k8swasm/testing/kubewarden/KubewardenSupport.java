package dev.k8swasm.testing.kubewarden;

import dev.k8swasm.module.ModuleType;
import dev.k8swasm.testing.Policy;
import dev.k8swasm.testing.PolicyTypeSupport;
import dev.k8swasm.testing.WasmPolicy;

/**
 * {@link PolicyTypeSupport} for {@code type = "kubewarden"}: gives the policy {@link
 * HostCapabilityStubs}, replaying the kwctl session of {@link WasmPolicy#hostCapabilities()} in
 * every test when one is named. Found with {@link java.util.ServiceLoader}.
 */
public final class KubewardenSupport implements PolicyTypeSupport {

  /** Called by {@link java.util.ServiceLoader}. */
  public KubewardenSupport() {}

  @Override
  public ModuleType type() {
    return ModuleType.KUBEWARDEN;
  }

  @Override
  public Policy.Builder prepare(Policy.Builder builder, WasmPolicy declaration) {
    HostCapabilityStubs stubs = HostCapabilityStubs.create();
    if (!declaration.hostCapabilities().isEmpty()) {
      stubs.replay(declaration.hostCapabilities()).keepAcrossTests();
    }
    return stubs.installOn(builder);
  }
}
