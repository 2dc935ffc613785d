package dev.k8swasm.rego.kubewarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.k8swasm.kubewarden.ExecutionModeProvider;
import dev.k8swasm.kubewarden.metadata.ExecutionMode;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.rego.RegoPolicy;
import java.util.Objects;

/**
 * Runs Kubewarden policies of execution modes {@code opa} and {@code gatekeeper} (Rego compiled
 * with {@code opa build -t wasm}) for {@code kubewarden-compat}'s {@code KubewardenPolicy}, as
 * Kubewarden's policy-server and kwctl do: entrypoint 0; in {@code opa} mode the input is {@code
 * {"request": AdmissionRequest}} and {@code data} the settings, and the result's {@code response}
 * is the AdmissionResponse; in {@code gatekeeper} mode the input is {@code {"parameters": settings,
 * "review": AdmissionRequest}}, {@code data} is {@code {}}, and the request is denied when the
 * result lists violations, with their {@code msg}s joined by ", ". Settings are always valid (Rego
 * policies have no settings validation). Found with {@link java.util.ServiceLoader}.
 */
public final class RegoExecutionModes implements ExecutionModeProvider {

  /** Creates the provider; it holds no state. */
  public RegoExecutionModes() {}

  @Override
  public boolean runs(ExecutionMode mode) {
    return mode == ExecutionMode.OPA || mode == ExecutionMode.GATEKEEPER;
  }

  @Override
  public Operations load(ModuleSpec spec, ExecutionMode mode) {
    Objects.requireNonNull(spec, "spec");
    if (!runs(Objects.requireNonNull(mode, "mode"))) {
      throw new IllegalArgumentException("execution mode " + mode + " is not a Rego mode");
    }
    JsonNode settings =
        spec.settings().filter(s -> !s.isNull()).orElse(JsonNodeFactory.instance.objectNode());
    JsonNode data = mode == ExecutionMode.OPA ? settings : JsonNodeFactory.instance.objectNode();
    RegoPolicy policy = RegoPolicy.builder(spec).data(data).build();
    return new RegoOperations(policy, mode, 0);
  }
}
