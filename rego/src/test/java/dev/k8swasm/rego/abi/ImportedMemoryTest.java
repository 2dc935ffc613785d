package dev.k8swasm.rego.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ImportedMemoryTest {

  static Path corpus(String relative) {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.isDirectory(dir.resolve("examples/modules/rego"))) {
      dir = dir.getParent();
    }
    return dir.resolve("examples/modules/rego").resolve(relative);
  }

  static long memoryImports(WasmModule m) {
    return m.importSection().stream().filter(i -> i.importType() == ExternalType.MEMORY).count();
  }

  @Test
  void theImportedMemoryBecomesADefinedExportedMemoryWithTheSameLimits() throws Exception {
    for (String name :
        new String[] {
          "hostile/opa_abi_test.wasm", // no memory export
          "kubewarden/gatekeeper_always_happy_policy.wasm", // re-exports the imported memory
          "kubewarden/no-default-namespace-rego.wasm" // memory is its first import
        }) {
      byte[] original = Files.readAllBytes(corpus(name));
      WasmModule before = Parser.parse(original);
      WasmModule after = Parser.parse(ImportedMemory.define(original));
      assertThat(memoryImports(before)).as(name).isEqualTo(1);
      assertThat(memoryImports(after)).as(name).isZero();
      assertThat(after.memorySection().get().memoryCount()).isEqualTo(1);
      int memoryExports = 0;
      for (int i = 0; i < after.exportSection().exportCount(); i++) {
        var export = after.exportSection().getExport(i);
        if (export.name().equals("memory")) {
          assertThat(export.exportType()).isEqualTo(ExternalType.MEMORY);
          memoryExports++;
        }
      }
      assertThat(memoryExports).isEqualTo(1);
      assertThat(after.importSection().importCount())
          .isEqualTo(before.importSection().importCount() - 1);
      assertThat(after.functionSection().functionCount())
          .isEqualTo(before.functionSection().functionCount());
      assertThat(after.codeSection().functionBodyCount())
          .isEqualTo(before.codeSection().functionBodyCount());
    }
  }

  @Test
  void aModuleWithoutAnImportedMemoryIsReturnedUnchanged() throws Exception {
    byte[] wasm = {0, 'a', 's', 'm', 1, 0, 0, 0};
    assertThat(ImportedMemory.define(wasm)).isSameAs(wasm);
  }

  @Test
  void malformedModulesAreRefused() {
    assertThatThrownBy(() -> ImportedMemory.define(new byte[] {1, 2, 3}))
        .hasMessageContaining("too short");
    assertThatThrownBy(() -> ImportedMemory.define(new byte[] {0, 'a', 's', 'm', 2, 0, 0, 0}))
        .hasMessageContaining("bad magic or version");
    // an import section claiming one import but ending early
    assertThatThrownBy(
            () -> ImportedMemory.define(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 2, 1, 1}))
        .hasMessageContaining("unexpected end");
  }
}
