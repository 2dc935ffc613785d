package dev.k8swasm.wasi;

import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleRuntime;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.PolicyModule;
import java.util.Objects;

/**
 * The {@link ModuleRuntime} of module type {@code wasi}: modules that read one JSON envelope on
 * stdin and write one to stdout, exporting {@code authn}, {@code authz} and/or {@code validate}.
 *
 * <p>Loading reads, validates and compiles the module once; the returned {@link PolicyModule} is
 * thread-safe and runs every evaluation in a fresh instance, within the spec's {@link
 * dev.k8swasm.module.Limits}.
 */
public final class WasiModuleRuntime implements ModuleRuntime {

  /** Creates the runtime; it holds no state, so one instance can load any number of modules. */
  public WasiModuleRuntime() {}

  @Override
  public String type() {
    return ModuleSpec.TYPE_WASI;
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
    return ModuleLoader.load(spec);
  }
}
