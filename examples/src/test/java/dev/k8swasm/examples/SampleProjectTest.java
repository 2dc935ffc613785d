package dev.k8swasm.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The module copies used by sample-project/ and its broken-module check stay what they claim to be:
 * the sample's is the example module byte for byte, the broken one a truncated copy of it.
 */
class SampleProjectTest {
  private static final Path ORIGINAL = Path.of("modules/magic_validator.wasm");
  private static final String COPY = "src/test/resources/modules/magic_validator.wasm";

  @Test
  void theSampleModuleIsTheExampleModule() throws IOException {
    assertThat(Files.readAllBytes(Path.of("sample-project").resolve(COPY)))
        .isEqualTo(Files.readAllBytes(ORIGINAL));
  }

  @Test
  void theBrokenModuleIsATruncatedCopy() throws IOException {
    byte[] original = Files.readAllBytes(ORIGINAL);
    byte[] broken =
        Files.readAllBytes(Path.of("src/it/sample-project-broken-module").resolve(COPY));
    assertThat(broken.length).isPositive().isLessThan(original.length);
    assertThat(broken).isEqualTo(Arrays.copyOf(original, broken.length));
  }
}
