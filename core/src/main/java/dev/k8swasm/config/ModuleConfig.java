package dev.k8swasm.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.admission.FailurePolicy;
import dev.k8swasm.admission.LabelSelector;
import dev.k8swasm.admission.ReinvocationPolicy;
import dev.k8swasm.admission.RuleWithOperations;
import dev.k8swasm.authz.AuthorizationFailurePolicy;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One module entry of a configuration file, validated and with its path resolved.
 *
 * @param name the module's name (default: the file name without {@code .wasm})
 * @param module the module file, resolved against the configuration file's folder
 * @param settings the settings passed on every call, if any
 * @param debug log inputs and outputs (tokens redacted)
 * @param mutating admission: runs in the mutating phase
 * @param type the module type ({@code wasi} or {@code kubewarden})
 * @param rules admission: the rules; absent = never called (unless the module declares rules)
 * @param failurePolicy admission: the failure policy, if set ({@code Fail} or {@code Ignore})
 * @param authorizationFailurePolicy authorization: the failure policy, if set ({@code NoOpinion} or
 *     {@code Deny}); a {@code failurePolicy} field sets whichever of the two its value belongs to
 * @param limits the limits (defaults where not set)
 * @param engine compiler or interpreter
 * @param strategy fresh instances or snapshots, if set
 * @param namespaceSelector admission: the namespace selector, if set
 * @param objectSelector admission: the object selector, if set
 * @param reinvocationPolicy admission: the reinvocation policy, if set
 * @param options runtime-specific keys (e.g. Kubewarden's {@code executionMode})
 * @param source where the entry was read, for messages: {@code file: modules[i]}
 */
public record ModuleConfig(
    String name,
    Path module,
    Optional<JsonNode> settings,
    boolean debug,
    Optional<Boolean> mutating,
    ModuleType type,
    Optional<List<RuleWithOperations>> rules,
    Optional<FailurePolicy> failurePolicy,
    Optional<AuthorizationFailurePolicy> authorizationFailurePolicy,
    Limits limits,
    Engine engine,
    Optional<InstanceStrategy> strategy,
    Optional<LabelSelector> namespaceSelector,
    Optional<LabelSelector> objectSelector,
    Optional<ReinvocationPolicy> reinvocationPolicy,
    Map<String, JsonNode> options,
    String source) {

  public ModuleConfig {
    options = Map.copyOf(options);
    rules = rules.map(List::copyOf);
  }
}
