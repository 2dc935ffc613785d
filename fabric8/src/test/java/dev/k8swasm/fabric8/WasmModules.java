package dev.k8swasm.fabric8;

import dev.k8swasm.admission.AdmissionChain;
import dev.k8swasm.admission.AdmissionHook;
import dev.k8swasm.admission.ModuleAdmissionController;
import dev.k8swasm.admission.rules.RuleWithOperations;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.PolicyModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The example modules of {@code examples/modules}, run on the real WASI runtime. */
final class WasmModules {
  private static final Path EXAMPLES = Path.of("..", "examples", "modules");

  private WasmModules() {}

  /** Loads {@code examples/modules/NAME.wasm} through the runtime found on the class path. */
  static PolicyModule load(String name) {
    Path path = EXAMPLES.resolve(name + ".wasm");
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException("example module missing: " + path.toAbsolutePath());
    }
    return ModuleRuntimes.load(
        ModuleSpec.builder(name)
            .path(path)
            // generous: a busy CI machine must not turn a slow call into a denial
            .limits(Limits.builder().timeout(Duration.ofSeconds(30)).build())
            .build());
  }

  /**
   * The chain an operator would build for ConfigMaps: magic_mutator sets {@code
   * data.magic-value=foobar}, then magic_validator rejects a ConfigMap with the key {@code
   * not-allowed-value}.
   */
  static AdmissionChain magicChain() {
    RuleWithOperations configMaps =
        RuleWithOperations.of(
            List.of("CREATE", "UPDATE"), List.of(""), List.of("v1"), List.of("configmaps"));
    return AdmissionChain.builder()
        .add(
            AdmissionHook.builder(
                    "magic_mutator", ModuleAdmissionController.mutating(load("magic_mutator")))
                .rules(configMaps)
                .build())
        .add(
            AdmissionHook.builder(
                    "magic_validator",
                    ModuleAdmissionController.validating(load("magic_validator")))
                .rules(configMaps)
                .build())
        .build();
  }
}
