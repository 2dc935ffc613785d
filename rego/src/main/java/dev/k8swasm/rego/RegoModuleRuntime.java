package dev.k8swasm.rego;

import dev.k8swasm.module.ModuleRuntime;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.ModuleType;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.wasi.sandbox.LoadFailures;
import java.util.Objects;

/**
 * The {@link ModuleRuntime} of module type {@code rego} ({@link #TYPE}): a Rego policy compiled
 * with {@code opa build -t wasm} used as an authorizer or authenticator (see {@link RegoModule}).
 * Found by {@link java.util.ServiceLoader}. Kubewarden policies in the {@code opa} and {@code
 * gatekeeper} execution modes are loaded with type {@code kubewarden} instead.
 */
public final class RegoModuleRuntime implements ModuleRuntime {
  /** The module type, {@code rego}. */
  public static final ModuleType TYPE = ModuleType.of("rego");

  /** Creates the runtime; it holds no state. */
  public RegoModuleRuntime() {}

  @Override
  public ModuleType type() {
    return TYPE;
  }

  @Override
  public PolicyModule load(ModuleSpec spec) {
    Objects.requireNonNull(spec, "spec");
    if (!TYPE.equals(spec.type())) {
      throw LoadFailures.of(
          spec,
          "module type '" + spec.type() + "' is not handled by the rego runtime",
          "Load it with the runtime for its type (ModuleRuntimes.load)");
    }
    return RegoModule.load(spec);
  }
}
