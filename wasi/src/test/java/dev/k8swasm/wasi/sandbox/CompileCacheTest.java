package dev.k8swasm.wasi.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wasm.WasmModule;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.ModuleSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compile cache stores compiled modules, ignores and rebuilds corrupt entries. */
class CompileCacheTest {
  @TempDir Path dir;

  private ModuleSpec spec(Object cache) {
    ModuleSpec.Builder b =
        SandboxModules.spec("scribble", Engine.COMPILER, InstanceStrategy.SNAPSHOT).toBuilder();
    return b.option(
            CompileCache.OPTION,
            cache instanceof Boolean flag
                ? BooleanNode.valueOf(flag)
                : TextNode.valueOf(cache.toString()))
        .build();
  }

  private long scribble(ModuleSpec spec) {
    try (SandboxedModule<HostImports> module = SandboxedModule.builder(spec).build()) {
      return module.evaluate(
          new byte[0],
          g -> {
            g.call("scribble", 3);
            return g.call("pages")[0];
          });
    }
  }

  private List<Path> entries() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.toString().endsWith(".jar")).toList();
    }
  }

  @Test
  void aCompiledModuleIsStoredAndReused() throws IOException {
    assertThat(scribble(spec(dir))).isEqualTo(3);
    List<Path> entries = entries();
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).getFileName().toString()).endsWith(".jar");
    assertThat(entries.get(0).getParent().getFileName().toString()).startsWith("chicory-");
    byte[] stored = Files.readAllBytes(entries.get(0));

    Path traits = traitsOf(entries.get(0));
    assertThat(traits).exists();

    assertThat(scribble(spec(dir))).isEqualTo(3);
    // reused, not written again (a new compilation would differ in the jar's timestamps)
    assertThat(Files.readAllBytes(entries.get(0))).isEqualTo(stored);
    assertThat(entries()).hasSize(1);
  }

  private static Path traitsOf(Path jar) {
    String name = jar.getFileName().toString();
    return jar.resolveSibling(name.substring(0, name.length() - 4) + ".traits");
  }

  @Test
  void aCachedModuleLoadsWithoutItsCodeAndStillRuns() throws IOException {
    scribble(spec(dir));
    String key = CompileCache.key(Files.readAllBytes(SandboxModules.path("scribble")));
    CompileCache cache = CompileCache.forSpec(spec(dir)).orElseThrow();
    assertThat(cache.traits(key)).isPresent();
    WasmModule codeless =
        Compilation.parseWithoutCode(Files.readAllBytes(SandboxModules.path("scribble")), key);
    assertThat(codeless).isNotNull();
    assertThat(codeless.digest()).isEqualTo(key);
    assertThat(codeless.codeSection().getFunctionBody(0).instructions()).isEmpty();
    // a second load takes that path and behaves the same (memory, globals, data segments)
    assertThat(scribble(spec(dir))).isEqualTo(3);
    try (SandboxedModule<HostImports> module = SandboxedModule.builder(spec(dir)).build()) {
      for (int i = 0; i < 2; i++) {
        assertThat(
                module.<Long>evaluate(
                    new byte[0],
                    g -> {
                      g.call("scribble", 1);
                      return g.call("pages")[0];
                    }))
            .isEqualTo(3L);
      }
    }
  }

  @Test
  void corruptTraitsAreIgnored() throws IOException {
    scribble(spec(dir));
    Path traits = traitsOf(entries().get(0));
    Files.write(traits, new byte[] {1, 2, 3});
    assertThat(scribble(spec(dir))).isEqualTo(3);
    CompileCache cache = CompileCache.forSpec(spec(dir)).orElseThrow();
    assertThat(cache.traits(CompileCache.key(Files.readAllBytes(SandboxModules.path("scribble")))))
        .as("rewritten after the full load")
        .isPresent();
  }

  @Test
  void aCorruptEntryIsIgnoredAndRebuilt() throws IOException {
    scribble(spec(dir));
    Path entry = entries().get(0);
    byte[] good = Files.readAllBytes(entry);
    CompileCache cache = CompileCache.forSpec(spec(dir)).orElseThrow();
    String key = entry.getFileName().toString();
    assertThat(cache.file(key.substring(0, key.length() - 4)).getFileName())
        .isEqualTo(entry.getFileName());

    byte[] flipped = good.clone();
    flipped[flipped.length / 2] ^= 0x55;
    for (byte[] corrupt : List.of(flipped, java.util.Arrays.copyOf(good, 100), new byte[0])) {
      Files.write(entry, corrupt);
      assertThat(scribble(spec(dir))).isEqualTo(3);
      byte[] rebuilt = Files.readAllBytes(entry);
      assertThat(rebuilt).isNotEqualTo(corrupt);
      assertThat(rebuilt.length).isGreaterThan(1000);
      assertThat(cache.get(key.substring(0, key.length() - 4)))
          .as("a valid entry again")
          .isNotNull();
    }
  }

  @Test
  void theCacheCanBeDisabled() throws IOException {
    assertThat(scribble(spec(false))).isEqualTo(3);
    assertThat(scribble(spec("off"))).isEqualTo(3);
    assertThat(entries()).isEmpty();
    assertThat(CompileCache.forSpec(spec(false))).isEmpty();
    assertThat(CompileCache.forSpec(spec("off"))).isEmpty();
  }

  @Test
  void anUnwritableDirectoryOnlyDisablesCaching() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
    assertThat(scribble(spec(file.resolve("cache")))).isEqualTo(3);
  }

  @Test
  void theDefaultDirectoryIsUnderTheUserCache() {
    Path dflt = CompileCache.defaultDirectory();
    assertThat(dflt.getFileName().toString()).isEqualTo("k8s-wasm");
  }
}
