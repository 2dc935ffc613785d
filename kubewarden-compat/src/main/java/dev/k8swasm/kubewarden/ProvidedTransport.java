package dev.k8swasm.kubewarden;

import dev.k8swasm.kubewarden.metadata.ExecutionMode;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.wasi.sandbox.LoadFailures;
import java.util.ServiceLoader;

/** A {@link Transport} to a policy whose execution mode an {@link ExecutionModeProvider} runs. */
record ProvidedTransport(ExecutionMode mode, ExecutionModeProvider.Operations operations)
    implements Transport {

  /**
   * Loads {@code spec} with the first provider that runs {@code mode}.
   *
   * @param detected how the mode was found, for the message when no provider runs it
   * @throws dev.k8swasm.module.ModuleException LOAD_FAILED naming the artifact to add when there is
   *     none
   */
  static ProvidedTransport load(ModuleSpec spec, ExecutionMode mode, String detected) {
    for (ExecutionModeProvider provider :
        ServiceLoader.load(ExecutionModeProvider.class, ProvidedTransport.class.getClassLoader())) {
      if (provider.runs(mode)) {
        return new ProvidedTransport(mode, provider.load(spec, mode));
      }
    }
    throw LoadFailures.of(
        spec,
        "OPA/Gatekeeper policies (execution mode '"
            + mode.wireName()
            + "', detected from "
            + detected
            + ") need the k8s-wasm-rego artifact, which is not on the class path",
        "Add the dependency dev.k8swasm:k8s-wasm-rego");
  }

  @Override
  public byte[] call(String operation, byte[] payload) {
    return operations.call(operation, payload);
  }

  @Override
  public void close() {
    operations.close();
  }
}
