package dev.k8swasm.rego;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleSpec;
import java.nio.file.Files;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** A damaged OPA module never loads into something else than a clear LOAD_FAILED, or works. */
class MutatedModuleTest {

  @Property(tries = 150)
  void aMutatedOrTruncatedModuleFailsToLoadCleanly(
      @ForAll @IntRange(min = 0, max = 100_000) int position,
      @ForAll @IntRange(min = 1, max = 255) int xor,
      @ForAll boolean truncate)
      throws Exception {
    byte[] original = Files.readAllBytes(Corpus.module("hostile/opa_abi_test.wasm"));
    int at = position % original.length;
    byte[] damaged;
    if (truncate) {
      damaged = java.util.Arrays.copyOf(original, at);
    } else {
      damaged = original.clone();
      damaged[at] ^= (byte) xor;
    }
    ModuleSpec spec = ModuleSpec.builder("damaged").bytes(damaged).build();
    try (RegoPolicy policy = RegoPolicy.builder(spec).build()) {
      // it loaded: the damage was harmless (a name, a constant...); evaluating ends in an answer
      // or a catalogue error
      try {
        policy.evaluate(0, "{}".getBytes());
      } catch (ModuleException e) {
        assertThat(e.reason()).isNotNull();
      } catch (IllegalArgumentException e) {
        assertThat(e.getMessage()).contains("has no entrypoint");
      }
    } catch (ModuleException e) {
      assertThat(e.reason()).as(e.getMessage()).isEqualTo(FailureReason.LOAD_FAILED);
      assertThat(e.getMessage()).startsWith("module 'damaged': cannot load <");
    }
  }
}
