package dev.k8swasm.kubewarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.wasm.Parser;
import dev.k8swasm.kubewarden.metadata.ExecutionMode;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.ModuleType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Detection reads only a module's declarations (custom sections, types, imports, exports), never
 * its function bodies: it answers as a full parse does, and a module whose code is broken is
 * detected all the same and then refused by the runtime that loads it.
 */
class PolicyDetectionDeclarationsTest {
  private static final Path EXAMPLES = Path.of("..", "examples", "modules");

  private static List<Path> modules() {
    return List.of(
        EXAMPLES.resolve("kubewarden/policy_wapc_start.wasm"),
        EXAMPLES.resolve("kubewarden/policy_wapc_init.wasm"),
        EXAMPLES.resolve("kubewarden/policy_wapc_nometa.wasm"),
        EXAMPLES.resolve("kubewarden/policy_wasi.wasm"),
        EXAMPLES.resolve("magic_validator.wasm"),
        EXAMPLES.resolve("magic_authenticator.wasm"),
        Path.of("..", "benchmarks", "modules", "big_validator.wasm"),
        Path.of("..", "benchmarks", "modules", "kubewarden", "pod-name-deny-list.wasm"));
  }

  @Test
  void declarationsAnswerAsAFullParseDoes() throws IOException {
    for (Path file : modules()) {
      byte[] bytes = Files.readAllBytes(file);
      var full = Parser.parse(bytes);
      var declarations = PolicyDetection.declarations(bytes);
      assertThat(PolicyDetection.isKubewardenPolicy(bytes))
          .as(file.toString())
          .isEqualTo(PolicyDetection.isKubewardenPolicy(full));
      PolicyDetection expected = PolicyDetection.of(full);
      PolicyDetection actual = PolicyDetection.of(declarations);
      assertThat(actual.mode()).as(file.toString()).isEqualTo(expected.mode());
      assertThat(actual.reason()).as(file.toString()).isEqualTo(expected.reason());
      assertThat(actual.metadata()).as(file.toString()).isEqualTo(expected.metadata());
      assertThat(declarations.codeSection().functionBodyCount()).isZero();
    }
    assertThat(PolicyDetection.isKubewardenPolicy(Files.readAllBytes(modules().get(0)))).isTrue();
    assertThat(PolicyDetection.isKubewardenPolicy(Files.readAllBytes(modules().get(4)))).isFalse();
  }

  @Test
  void brokenCodeIsDetectedThenRefusedByTheRuntime() throws IOException {
    byte[] module = brokenGuestCall();
    assertThatThrownBy(() -> Parser.parse(module)).isInstanceOf(RuntimeException.class);
    assertThat(PolicyDetection.isKubewardenPolicy(module)).isTrue();

    ModuleSpec spec =
        ModuleSpec.builder("broken").type(ModuleType.KUBEWARDEN).bytes(module).build();
    assertThat(PolicyDetection.read(spec).mode()).isEqualTo(ExecutionMode.KUBEWARDEN_WAPC);
    assertThatThrownBy(() -> KubewardenPolicy.load(spec).close())
        .isInstanceOfSatisfying(
            ModuleException.class, e -> assertThat(e.reason()).isEqualTo(FailureReason.LOAD_FAILED))
        .hasMessageContaining("module 'broken'")
        .hasMessageContaining("invalid WebAssembly module");
  }

  @Test
  void bytesThatAreNotAModuleStillFailDetection() throws IOException {
    byte[] bytes = Files.readAllBytes(modules().get(0));
    byte[] truncated = Arrays.copyOf(bytes, bytes.length / 2);
    assertThatThrownBy(() -> PolicyDetection.isKubewardenPolicy(truncated))
        .isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> PolicyDetection.isKubewardenPolicy(new byte[] {1, 2, 3, 4}))
        .isInstanceOf(RuntimeException.class);
  }

  /**
   * A module exporting {@code __guest_call} (type {@code (i32, i32) -> i32}) whose body is an
   * undefined opcode.
   */
  private static byte[] brokenGuestCall() {
    return new byte[] {
      0x00,
      0x61,
      0x73,
      0x6d,
      0x01,
      0x00,
      0x00,
      0x00,
      // type section: one type (i32, i32) -> i32
      0x01,
      0x07,
      0x01,
      0x60,
      0x02,
      0x7f,
      0x7f,
      0x01,
      0x7f,
      // function section: one function of type 0
      0x03,
      0x02,
      0x01,
      0x00,
      // export section: "__guest_call" -> function 0
      0x07,
      0x10,
      0x01,
      0x0c,
      '_',
      '_',
      'g',
      'u',
      'e',
      's',
      't',
      '_',
      'c',
      'a',
      'l',
      'l',
      0x00,
      0x00,
      // code section: one body, no locals, opcode 0xff (undefined), end
      0x0a,
      0x05,
      0x01,
      0x03,
      0x00,
      (byte) 0xff,
      0x0b
    };
  }
}
