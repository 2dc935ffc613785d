package dev.k8swasm.cli;

import static dev.k8swasm.cli.Cli.module;
import static dev.k8swasm.cli.Cli.request;
import static dev.k8swasm.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleType;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reason of the error catalogue (module specification 11 and 11.1) that only the Kubewarden
 * runtime reports, produced through {@code k8s-wasm run}: INVALID_SETTINGS, when a policy's
 * validate_settings rejects its settings - at load, before any request is evaluated. The other
 * reasons are produced by ErrorCatalogueTest in the wasi module.
 */
@ExtendWith(CliReliabilityReport.Writer.class)
class ErrorCatalogueCliTest {
  private static final String TABLE = "Error catalogue: reasons of the Kubewarden runtime";

  static {
    CliReliabilityReport.columns(TABLE, "reason", "policy");
  }

  @ParameterizedTest
  @ValueSource(strings = {"policy_wapc_init.wasm", "policy_wapc_start.wasm", "policy_wasi.wasm"})
  void invalidSettingsOfAKubewardenPolicy(String policy) {
    assumeTrue(
        ModuleRuntimes.types().contains(ModuleType.KUBEWARDEN),
        "the Kubewarden runtime is on the class path");

    Cli.Result r =
        run(
            "run",
            module("kubewarden/" + policy),
            "--type",
            "kubewarden",
            "--settings-json",
            "{\"forbiddenLabels\": 5}",
            "-r",
            request("admissionreview-allowed.json"));

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines()).as(r.toString()).hasSize(1);
    assertThat(r.err())
        .startsWith("error: module '")
        .contains("': the policy rejected its settings: ")
        .contains("forbiddenLabels")
        .contains("[INVALID_SETTINGS]");
    CliReliabilityReport.count(TABLE, "INVALID_SETTINGS", policy);
  }
}
