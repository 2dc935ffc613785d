package dev.k8swasm.examples.embedding;

import dev.k8swasm.admission.AdmissionChain;
import dev.k8swasm.admission.AdmissionHook;
import dev.k8swasm.admission.FailurePolicy;
import dev.k8swasm.admission.ModuleAdmissionController;
import dev.k8swasm.admission.rules.RuleWithOperations;
import dev.k8swasm.authn.AuthenticatorChain;
import dev.k8swasm.authn.ModuleAuthenticator;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.observe.EvaluationListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Chains built in code, without configuration files. */
public final class ProgrammaticExample {
  private ProgrammaticExample() {}

  /** The magic authenticator as an authentication chain, reporting every evaluation. */
  public static AuthenticatorChain authentication(Path modules, EvaluationListener listener) {
    // docs:start authn
    ModuleSpec spec =
        ModuleSpec.builder("magic-authenticator")
            .path(modules.resolve("magic_authenticator.wasm"))
            .limits(Limits.builder().timeout(Duration.ofMillis(500)).build())
            .build();
    return AuthenticatorChain.builder()
        .add(
            ModuleAuthenticator.builder(ModuleRuntimes.load(spec)) // the runtime of type "wasi"
                .implicitAudiences(List.of("https://my-api.example.com"))
                .listener(listener) // e.g. Micrometer timers and counters
                .build())
        .build();
    // docs:end authn
  }

  /** The magic mutator and validator for ConfigMaps, as an admission chain. */
  public static AdmissionChain admission(Path modules) {
    // docs:start admission
    RuleWithOperations configMaps =
        RuleWithOperations.of(
            List.of("CREATE", "UPDATE"), List.of(""), List.of("v1"), List.of("configmaps"));
    return AdmissionChain.builder()
        .add(
            AdmissionHook.builder(
                    "magic-mutator",
                    ModuleAdmissionController.mutating(
                        ModuleRuntimes.load(
                            ModuleSpec.builder("magic-mutator")
                                .path(modules.resolve("magic_mutator.wasm"))
                                .build())))
                .rules(configMaps)
                .failurePolicy(FailurePolicy.FAIL)
                .build())
        .add(
            AdmissionHook.builder(
                    "magic-validator",
                    ModuleAdmissionController.validating(
                        ModuleRuntimes.load(
                            ModuleSpec.builder("magic-validator")
                                .path(modules.resolve("magic_validator.wasm"))
                                .build())))
                .rules(configMaps)
                .build())
        .build();
    // docs:end admission
  }
}
