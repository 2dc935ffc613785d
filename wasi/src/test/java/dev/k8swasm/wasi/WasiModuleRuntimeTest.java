package dev.k8swasm.wasi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k8swasm.module.Engine;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.ModuleType;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import org.junit.jupiter.api.Test;

class WasiModuleRuntimeTest {

  @Test
  void isFoundByServiceLoaderForTypeWasi() {
    assertThat(ModuleRuntimes.forType(ModuleType.WASI)).isInstanceOf(WasiModuleRuntime.class);
    assertThat(new WasiModuleRuntime().type()).isEqualTo(ModuleType.WASI);
  }

  @Test
  void theSnapshotStrategyGivesTheSameResults() {
    ModuleSpec spec =
        TestModules.spec(TestModules.hostile("stateful"), Engine.COMPILER)
            .strategy(InstanceStrategy.SNAPSHOT)
            .build();
    try (PolicyModule module = ModuleRuntimes.load(spec)) {
      for (int i = 0; i < 3; i++) {
        assertThat(
                module
                    .evaluate(ReviewKind.AUTHENTICATION, Requests.tokenReview("t" + i))
                    .path("status")
                    .path("user")
                    .path("uid")
                    .asText())
            .isEqualTo("1");
      }
    }
  }

  @Test
  void loadsThroughTheServiceLoader() {
    ModuleSpec spec =
        ModuleSpec.builder("authn").path(TestModules.example("magic_authenticator")).build();
    try (PolicyModule module = ModuleRuntimes.load(spec)) {
      assertThat(module.name()).isEqualTo("authn");
      assertThat(module.kinds()).containsExactly(ReviewKind.AUTHENTICATION);
      assertThat(
              module
                  .evaluate(ReviewKind.AUTHENTICATION, Requests.tokenReview("magic-token"))
                  .path("status")
                  .path("authenticated")
                  .asBoolean())
          .isTrue();
    }
  }
}
