package dev.k8swasm.wasi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.module.Engine;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Modules that cannot be used fail at load, with a message that says what, where and what to do.
 */
class LoadFailuresTest {

  private static void assertLoadFails(ModuleSpec spec, Consumer<AbstractStringAssert<?>> message) {
    assertThatThrownBy(() -> TestModules.load(spec))
        .isInstanceOfSatisfying(
            ModuleException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.LOAD_FAILED);
              assertThat(e.moduleName()).isEqualTo(spec.name());
              assertThat(e.getMessage()).contains(spec.name(), spec.origin());
              message.accept(assertThat(e.getMessage()));
            });
  }

  private static ModuleSpec hostile(String name, Engine engine) {
    return TestModules.spec(TestModules.hostile(name), engine).build();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void rejectsFilesThatAreNotWebAssembly(Engine engine) {
    assertLoadFails(
        hostile("not_wasm", engine),
        m -> m.contains("not a WebAssembly module", "74 68 69 73", ".wasm file"));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void rejectsTruncatedModules(Engine engine) {
    assertLoadFails(
        hostile("truncated", engine), m -> m.contains("invalid WebAssembly module", "truncated"));
  }

  @Test
  void rejectsTooShortFiles() {
    ModuleSpec spec = ModuleSpec.builder("tiny").bytes(new byte[] {0, 'a', 's'}).build();
    assertLoadFails(spec, m -> m.contains("not a WebAssembly module", "3 bytes", "<3 bytes>"));
  }

  @Test
  void rejectsComponents() {
    byte[] component = {0, 'a', 's', 'm', 0x0d, 0, 1, 0};
    ModuleSpec spec = ModuleSpec.builder("component").bytes(component).build();
    assertLoadFails(spec, m -> m.contains("0d 00 01 00", "component"));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void rejectsCommandModules(Engine engine) {
    assertLoadFails(
        hostile("only_start", engine),
        m ->
            m.contains(
                "exports none of authn, authz, validate",
                "memory (memory), _start (function)",
                "command module",
                "reactor"));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void rejectsUnknownImportsNamingThem(Engine engine) {
    assertLoadFails(
        hostile("bad_import", engine),
        m -> m.contains("env.host_secret (function (i32) -> i32)", "wasi_snapshot_preview1"));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void reportsEveryContractViolation(Engine engine) {
    assertLoadFails(
        TestModules.spec(TestModules.own("contract_violations"), engine).build(),
        m ->
            m.contains(
                "its export 'authn' has type (i32) -> () but must take no parameters",
                "its export 'validate' is a memory, not a function",
                "its export '_initialize' has type () -> i32",
                "wasi_snapshot_preview1.fd_write (function (i32) -> i32; WASI declares"
                    + " (i32, i32, i32, i32) -> i32)",
                "wasi_snapshot_preview1.not_a_wasi_function (function () -> ();"
                    + " not a WASI preview 1 function)",
                "env.table (table)",
                "does not export its memory as 'memory'"));
  }

  @Test
  void rejectsMissingFiles(@TempDir Path dir) {
    ModuleSpec spec = ModuleSpec.builder("gone").path(dir.resolve("gone.wasm")).build();
    assertLoadFails(
        spec,
        m ->
            m.contains("does not exist", dir.resolve("gone.wasm").toString())
                .doesNotContain("working directory"));
  }

  @Test
  void aMissingRelativePathSaysWhereItWasLookedFor() {
    ModuleSpec spec = ModuleSpec.builder("gone").path(Path.of("no-such-dir/gone.wasm")).build();
    assertLoadFails(
        spec,
        m ->
            m.contains(
                "does not exist",
                "resolved against the working directory: "
                    + Path.of("no-such-dir/gone.wasm").toAbsolutePath()));
  }

  @Test
  void rejectsDirectories(@TempDir Path dir) {
    ModuleSpec spec = ModuleSpec.builder("dir").path(dir).build();
    assertLoadFails(spec, m -> m.contains("not a regular file"));
  }

  @Test
  void rejectsModulesOverTheSizeLimit() throws IOException {
    Path path = TestModules.example("magic_authenticator");
    long size = Files.size(path);
    ModuleSpec spec =
        TestModules.spec(path, Engine.COMPILER)
            .limits(TestModules.RELAXED.toBuilder().maxModuleBytes(size - 1).build())
            .build();
    assertLoadFails(
        spec,
        m -> m.contains(size + " bytes", "limit of " + (size - 1) + " bytes", "maxModuleBytes"));
  }

  @Test
  void rejectsInlineModulesOverTheSizeLimit() throws IOException {
    byte[] bytes = Files.readAllBytes(TestModules.own("echo"));
    ModuleSpec spec =
        ModuleSpec.builder("inline")
            .bytes(bytes)
            .limits(TestModules.RELAXED.toBuilder().maxModuleBytes(100).build())
            .build();
    assertLoadFails(spec, m -> m.contains("<" + bytes.length + " bytes>", "limit of 100 bytes"));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void rejectsModulesWhoseInitialMemoryExceedsTheLimit(Engine engine) {
    // huge_response declares 129 pages (8 MiB + 64 KiB)
    ModuleSpec spec =
        TestModules.spec(TestModules.hostile("huge_response"), engine)
            .limits(TestModules.RELAXED.toBuilder().maxMemoryBytes(1L << 20).build())
            .build();
    assertLoadFails(
        spec,
        m -> m.contains("initial memory of 129 pages", "limit of 16 pages", "maxMemoryBytes"));
  }

  @Test
  void rejectsOtherModuleTypes() {
    ModuleSpec spec =
        TestModules.spec(TestModules.own("echo"), Engine.COMPILER).type("kubewarden").build();
    assertLoadFails(spec, m -> m.contains("'kubewarden'", "not handled by the wasi runtime"));
  }

  @Test
  void loadsInlineModules() throws IOException {
    ModuleSpec spec =
        ModuleSpec.builder("inline").bytes(Files.readAllBytes(TestModules.own("echo"))).build();
    try (var module = TestModules.load(spec)) {
      assertThat(module.name()).isEqualTo("inline");
    }
  }
}
