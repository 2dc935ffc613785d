package dev.k8swasm.testing.kubewarden;

import dev.k8swasm.testing.Policy;

/**
 * Used by the {@link dev.k8swasm.testing.WasmPolicy} extension for {@code type = "kubewarden"}:
 * gives the policy {@link HostCapabilityStubs}. Public only for that extension.
 */
public final class KubewardenSupport {
  private KubewardenSupport() {}

  /**
   * Installs stubs on {@code builder}; {@code session}, when not empty, is a kwctl session replayed
   * in every test.
   */
  public static Policy.Builder installStubs(Policy.Builder builder, String session) {
    HostCapabilityStubs stubs = HostCapabilityStubs.create();
    if (!session.isEmpty()) {
      stubs.replay(session).keepAcrossTests();
    }
    return stubs.installOn(builder);
  }
}
