package dev.k8swasm.kubewarden;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Policies built with Go >= 1.26 use the Wasm function-references proposal (typed function
 * references, {@code call_ref}, {@code ref.as_non_null}). Chicory 1.7.5 parses and runs them on
 * both engines. The module is assembled here byte by byte because the installed wabt (1.0.32)
 * encodes {@code call_ref} as an older draft did (without its type index).
 */
class FunctionReferencesTest {

  /**
   *
   *
   * <pre>
   * (module
   *   (type $t (func (result i32)))
   *   (func $f (type $t) (i32.const 42))
   *   (elem declare func $f)
   *   (func (export "run") (type $t) (local $r (ref null $t))
   *     (local.set $r (ref.func $f))
   *     (call_ref $t (ref.as_non_null (local.get $r)))))
   * </pre>
   */
  static byte[] module() {
    ByteArrayOutputStream m = new ByteArrayOutputStream();
    m.writeBytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
    section(m, 1, 1, 0x60, 0, 1, 0x7f); // types: () -> i32
    section(m, 3, 2, 0, 0); // functions: two of type 0
    section(m, 7, 1, 3, 'r', 'u', 'n', 0, 1); // export "run" = function 1
    section(m, 9, 1, 3, 0, 1, 0); // declarative element segment: function 0
    section(
        m, 10, 2, // code: two bodies
        4, 0, 0x41, 42, 0x0b, // f0: i32.const 42
        14, 1, 1, 0x63, 0, // f1: one local (ref null 0)
        0xd2, 0, 0x21, 0, // ref.func 0, local.set 0
        0x20, 0, 0xd4, // local.get 0, ref.as_non_null
        0x14, 0, 0x0b); // call_ref 0, end
    return m.toByteArray();
  }

  private static void section(ByteArrayOutputStream m, int id, int... content) {
    m.write(id);
    m.write(content.length);
    for (int b : content) {
      m.write(b);
    }
  }

  @Test
  void chicoryRunsTypedFunctionReferencesOnBothEngines() {
    WasmModule module = Parser.parse(module());
    Instance interpreted = Instance.builder(module).build();
    assertThat(interpreted.export("run").apply()[0]).isEqualTo(42L);
    Instance compiled =
        Instance.builder(module).withMachineFactory(MachineFactoryCompiler.compile(module)).build();
    assertThat(compiled.export("run").apply()[0]).isEqualTo(42L);
  }
}
