package dev.k8swasm.testing;

import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleRuntime;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.PolicyModule;
import java.util.function.UnaryOperator;

/**
 * Lets {@link PolicyChain} record the calls of every module of a configured chain. The chain
 * factory ({@code Chains}) loads modules itself, by module type; {@link #redirect()} rewrites each
 * spec to this runtime's type, carrying the original spec, and {@link #load} loads the original
 * with its real runtime and wraps it in a {@link RecordingModule}.
 *
 * <p>Registered in {@code META-INF/services/dev.k8swasm.module.ModuleRuntime}. It is only ever
 * reached through {@link #redirect()}.
 */
public final class RecordingRuntime implements ModuleRuntime {
  /** The module type this runtime answers to. */
  static final String TYPE = "k8s-wasm-testing-recorder";

  /** The spec as configured, carried as an extension of the redirected spec. */
  record Original(ModuleSpec spec) {}

  /** Public for {@link java.util.ServiceLoader}; not for direct use. */
  public RecordingRuntime() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public PolicyModule load(ModuleSpec spec) {
    ModuleSpec original =
        spec.extension(Original.class)
            .map(Original::spec)
            .orElseThrow(
                () ->
                    new ModuleException(
                        spec.name(),
                        FailureReason.LOAD_FAILED,
                        "module type '"
                            + TYPE
                            + "' is internal to k8s-wasm-testing; use 'wasi' or 'kubewarden'"));
    return new RecordingModule(ModuleRuntimes.load(original));
  }

  /** A spec customizer that sends every module through this runtime. */
  static UnaryOperator<ModuleSpec.Builder> redirect() {
    return builder -> {
      ModuleSpec original = builder.build();
      return original.toBuilder().type(TYPE).extension(Original.class, new Original(original));
    };
  }
}
