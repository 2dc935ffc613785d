package dev.k8swasm.kubewarden;

import dev.k8swasm.module.ModuleRuntime;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.ModuleType;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.wasi.sandbox.LoadFailures;
import java.util.Objects;

/**
 * The {@link ModuleRuntime} of module type {@code kubewarden}: loads Kubewarden policies unchanged
 * (see {@link KubewardenPolicy}). Found by {@link java.util.ServiceLoader}.
 */
public final class KubewardenModuleRuntime implements ModuleRuntime {

  /** Creates the runtime; it holds no state. */
  public KubewardenModuleRuntime() {}

  @Override
  public ModuleType type() {
    return ModuleType.KUBEWARDEN;
  }

  @Override
  public PolicyModule load(ModuleSpec spec) {
    Objects.requireNonNull(spec, "spec");
    if (!ModuleType.KUBEWARDEN.equals(spec.type())) {
      throw LoadFailures.of(
          spec,
          "module type '" + spec.type() + "' is not handled by the kubewarden runtime",
          "Load it with the runtime for its type (ModuleRuntimes.load)");
    }
    return KubewardenLoader.load(spec);
  }
}
