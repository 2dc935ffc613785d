package dev.k8swasm.wasi.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.module.Engine;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Deterministic reproducers of what the fuzz tests ({@link MutatedModulesTest}) found: broken
 * modules must be rejected at load with LOAD_FAILED, and broken output must be BAD_OUTPUT, never an
 * unchecked exception, an Error or an INTERNAL failure. (All three were host bugs; the comments
 * describe what used to go wrong.)
 */
class LoadRobustnessTest {

  /** {@code module} with the byte at {@code offset} replaced by {@code value}. */
  private static byte[] patched(String module, int offset, int value) {
    byte[] bytes = Guests.bytes(MutatedModulesTest.path(module));
    bytes[offset] = (byte) value;
    return bytes;
  }

  private static void assertLoadFails(String name, byte[] bytes, Engine engine, String detail) {
    ModuleSpec spec = ModuleSpec.builder(name).bytes(bytes).engine(engine).build();
    assertThatThrownBy(() -> ModuleRuntimes.load(spec).close())
        .isInstanceOfSatisfying(
            ModuleException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.LOAD_FAILED);
              assertThat(e.getMessage()).contains("module '" + name + "'", detail);
            });
  }

  /**
   * loop_br_if.wasm with byte 82 (inside the function body) replaced by 0x05, the opcode of {@code
   * else}, outside any {@code if}. Chicory 1.7.5's parser fails an {@code assert} on it
   * (AnnotatedInstruction.Builder.build); with assertions enabled (-ea, as under Surefire) the
   * AssertionError used to escape ModuleRuntimes.load.
   */
  @ParameterizedTest
  @EnumSource(Engine.class)
  void malformedCodeIsALoadFailure(Engine engine) {
    assertLoadFails(
        "else-outside-if", patched("hostile/loop_br_if", 82, 0x05), engine, "invalid WebAssembly");
  }

  /**
   * deep_recursion.wasm with byte 48, the function index of the export "authn", changed from 1 to
   * 2: the module has functions 0 and 1 only. Chicory's parser accepts it; the contract check then
   * asked FunctionSection.getFunctionType(2) and an IndexOutOfBoundsException escaped
   * ModuleRuntimes.load.
   */
  @ParameterizedTest
  @EnumSource(Engine.class)
  void anExportOfAFunctionThatDoesNotExistIsALoadFailure(Engine engine) {
    assertLoadFails("missing-function", patched("hostile/deep_recursion", 48, 2), engine, "authn");
  }

  /**
   * A module whose stdout starts with 00 00 00 7b: Jackson detects UTF-32, then fails on an invalid
   * character with a CharConversionException, an IOException that ResponseReader reported as
   * INTERNAL ("a bug in the host"). It is the module's output that is wrong: BAD_OUTPUT.
   */
  @ParameterizedTest
  @EnumSource(Engine.class)
  void stdoutThatIsNotUtf8IsBadOutput(Engine engine) {
    try (PolicyModule module = Guests.load(Guests.own("utf32_output"), engine, Guests.RELAXED)) {
      assertThatThrownBy(() -> module.evaluate(ReviewKind.AUTHENTICATION, Guests.tokenReview("t")))
          .isInstanceOfSatisfying(
              ModuleException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(FailureReason.BAD_OUTPUT);
                assertThat(e.getMessage()).contains("module 'utf32_output'", "not UTF-8");
              });
    }
  }
}
