package dev.k8swasm.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.testing.FakeRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Core's test class path registers only {@link FakeRuntime}, as type {@code wasi}. */
class ModuleRuntimesTest {

  @Test
  void runtimesAreFoundByType() {
    assertThat(ModuleRuntimes.types()).containsExactly(ModuleType.WASI);
    assertThat(ModuleRuntimes.forType(ModuleType.WASI)).isInstanceOf(FakeRuntime.class);
  }

  @Test
  void aMissingKubewardenRuntimeNamesTheArtifactToAdd() {
    assertThatThrownBy(() -> ModuleRuntimes.forType(ModuleType.KUBEWARDEN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "no runtime for module type 'kubewarden' (add dev.k8swasm:k8s-wasm-kubewarden-compat"
                + " to the class path); available: [wasi]");
  }

  @Test
  void anUnknownTypeListsTheAvailableOnes() {
    assertThatThrownBy(() -> ModuleRuntimes.forType(ModuleType.of("docker")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no runtime for module type 'docker'; available: [wasi]");
  }

  @Test
  void loadUsesTheRuntimeOfTheSpecsType(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("m.wasm"), "{\"kinds\":[\"AUTHORIZATION\"]}");

    try (PolicyModule module = ModuleRuntimes.load(ModuleSpec.builder("m").path(file).build())) {
      assertThat(module.name()).isEqualTo("m");
      assertThat(module.kinds()).containsExactly(ReviewKind.AUTHORIZATION);
    }
    assertThatThrownBy(
            () ->
                ModuleRuntimes.load(ModuleSpec.builder("k").path(file).type("kubewarden").build()))
        .hasMessageContaining("k8s-wasm-kubewarden-compat");
  }
}
