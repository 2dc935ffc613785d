package dev.k8swasm.wasi;

import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleRuntime;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.ModuleType;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.wasi.sandbox.LoadFailures;
import dev.k8swasm.wasi.sandbox.SandboxedModule;
import java.util.Objects;

/**
 * The {@link ModuleRuntime} of module type {@code wasi}: modules that read one JSON envelope on
 * stdin and write one to stdout, exporting {@code authn}, {@code authz} and/or {@code validate}.
 *
 * <p>Loading reads, validates and compiles the module once (see {@link SandboxedModule}); the
 * returned {@link PolicyModule} is thread-safe and runs every evaluation in an instance of its own
 * (restored from a snapshot of the initialised module, or fresh, as the spec's strategy says),
 * within the spec's {@link dev.k8swasm.module.Limits}.
 */
public final class WasiModuleRuntime implements ModuleRuntime {

  /** Creates the runtime; it holds no state, so one instance can load any number of modules. */
  public WasiModuleRuntime() {}

  @Override
  public ModuleType type() {
    return ModuleType.WASI;
  }

  /**
   * Loads a WASI contract module.
   *
   * @throws dev.k8swasm.module.ModuleException with {@link FailureReason#LOAD_FAILED} when the
   *     module cannot be read, is not a valid WebAssembly module, does not fit the contract or
   *     cannot be compiled
   */
  @Override
  public PolicyModule load(ModuleSpec spec) {
    Objects.requireNonNull(spec, "spec");
    if (!ModuleType.WASI.equals(spec.type())) {
      throw LoadFailures.of(
          spec,
          "module type '" + spec.type() + "' is not handled by the wasi runtime",
          "Load it with the runtime for its type (ModuleRuntimes.load)");
    }
    ModuleShape[] shape = new ModuleShape[1];
    SandboxedModule<?> sandbox =
        SandboxedModule.builder(spec)
            .contract(ContractCheck.CONTRACT, ContractCheck.REMEDY)
            .check((module, problems) -> shape[0] = ContractCheck.check(module, problems))
            .build();
    return new WasiPolicyModule(spec, shape[0], sandbox);
  }
}
