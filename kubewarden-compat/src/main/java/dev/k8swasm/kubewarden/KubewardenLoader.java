package dev.k8swasm.kubewarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.k8swasm.kubewarden.capabilities.CapabilityDispatcher;
import dev.k8swasm.kubewarden.capabilities.HostCapabilities;
import dev.k8swasm.kubewarden.metadata.ContextAwareResource;
import dev.k8swasm.kubewarden.metadata.ExecutionMode;
import dev.k8swasm.kubewarden.metadata.PolicyMetadata;
import dev.k8swasm.kubewarden.metadata.PolicyType;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.wasi.sandbox.LoadFailures;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a Kubewarden policy: parses its options, detects its execution mode ({@link
 * PolicyDetection}), grants its host capabilities, prepares the transport for the mode in the
 * sandbox and validates its settings. {@link KubewardenPolicy} then only evaluates. Reached through
 * {@link KubewardenModuleRuntime} and {@link KubewardenPolicy#load}.
 */
final class KubewardenLoader {
  private static final Logger LOG = LoggerFactory.getLogger(KubewardenPolicy.class);

  private KubewardenLoader() {}

  /** See {@link KubewardenPolicy#load}. */
  static KubewardenPolicy load(ModuleSpec spec) {
    Objects.requireNonNull(spec, "spec");
    KubewardenOptions options;
    try {
      options = KubewardenOptions.parse(spec.options());
    } catch (IllegalArgumentException e) {
      throw LoadFailures.of(spec, e.getMessage(), "Fix the module's configuration");
    }
    PolicyDetection detection = PolicyDetection.read(spec);
    ExecutionMode mode = options.executionMode().orElse(detection.mode());
    Optional<PolicyMetadata> metadata = detection.metadata();
    metadata
        .flatMap(PolicyMetadata::protocolVersion)
        .filter(v -> mode == ExecutionMode.KUBEWARDEN_WAPC && !v.equals("v1"))
        .ifPresent(
            v ->
                LOG.warn(
                    "policy '{}': metadata protocolVersion is '{}'; waPC policies need 'v1'",
                    spec.name(),
                    v));
    PolicyType type =
        options
            .policyType()
            .orElse(metadata.map(PolicyMetadata::policyType).orElse(PolicyType.KUBERNETES));
    List<ContextAwareResource> resources =
        options
            .contextAwareResources()
            .orElse(metadata.map(PolicyMetadata::contextAwareResources).orElse(List.of()));
    HostCapabilities host =
        spec.extension(HostCapabilities.class).orElse(HostCapabilities.defaults());
    CapabilityDispatcher dispatcher =
        new CapabilityDispatcher(
            spec.name(), options.allowedHostCapabilities(), new LinkedHashSet<>(resources), host);
    warnAboutDeclaredCapabilities(spec.name(), metadata, dispatcher);
    String detectedFrom =
        options.executionMode().isPresent() ? "the executionMode option" : detection.reason();
    JsonNode settings =
        spec.settings().filter(s -> !s.isNull()).orElse(JsonNodeFactory.instance.objectNode());
    Transport transport = transport(spec, mode, dispatcher, detectedFrom, settings);
    KubewardenPolicy policy =
        new KubewardenPolicy(
            spec.name(),
            metadata,
            options.policyMode(),
            type,
            settings,
            dispatcher,
            transport,
            spec.debug());
    try {
      SettingsValidation validation;
      try {
        validation = policy.checkSettings(settings);
      } catch (ModuleException e) {
        throw new ModuleException(
            spec.name(),
            FailureReason.INVALID_SETTINGS,
            "the policy could not validate its settings: Error invoking settings validation"
                + " callback: "
                + e.detail(),
            e);
      }
      if (!validation.valid()) {
        throw new ModuleException(
            spec.name(),
            FailureReason.INVALID_SETTINGS,
            "the policy rejected its settings: "
                + validation.message().orElse("(the policy gave no reason)"));
      }
    } catch (RuntimeException e) {
      policy.close();
      throw e;
    }
    LOG.debug(
        "policy '{}' loaded: {} ({}), policy type {}, policy mode {}, host capabilities {},"
            + " context-aware resources {}",
        spec.name(),
        mode.wireName(),
        options.executionMode().isPresent() ? "executionMode option" : detection.reason(),
        type.wireName(),
        options.policyMode().wireName(),
        options.allowedHostCapabilities(),
        resources);
    return policy;
  }

  /**
   * The transport that runs a policy of execution {@code mode}: WASI and waPC here, OPA and
   * Gatekeeper through an {@link ExecutionModeProvider} (the k8s-wasm-rego artifact).
   */
  private static Transport transport(
      ModuleSpec spec,
      ExecutionMode mode,
      CapabilityDispatcher dispatcher,
      String detectedFrom,
      JsonNode settings) {
    return switch (mode) {
      case WASI -> WasiTransport.load(spec, dispatcher);
      case KUBEWARDEN_WAPC -> WapcTransport.load(spec, dispatcher, settings);
      default -> ProvidedTransport.load(spec, mode, detectedFrom);
    };
  }

  private static void warnAboutDeclaredCapabilities(
      String name, Optional<PolicyMetadata> metadata, CapabilityDispatcher dispatcher) {
    metadata
        .flatMap(PolicyMetadata::hostCapabilities)
        .ifPresent(
            declared -> {
              List<String> missing =
                  declared.stream().filter(c -> !dispatcher.allowList().allows(c)).toList();
              if (!missing.isEmpty()) {
                LOG.info(
                    "policy '{}' declares host capabilities it has not been granted: {} (grant"
                        + " them with the allowedHostCapabilities option)",
                    name,
                    missing);
              }
            });
  }
}
