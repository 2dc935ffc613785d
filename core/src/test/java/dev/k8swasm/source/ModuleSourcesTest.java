package dev.k8swasm.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.config.ConfigException;
import dev.k8swasm.config.ConfigLoader;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.testing.MemoryResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleSourcesTest {
  @TempDir Path dir;

  @Test
  void resolversAreFoundByScheme() throws Exception {
    Path file = Files.writeString(dir.resolve("m.json"), "{}");
    MemoryResolver.put("found", file);
    assertThat(ModuleSources.schemes()).contains("file", "mem");
    ResolvedModule r =
        ModuleSources.resolve(ModuleReference.parse("mem://found"), SourceOptions.defaults());
    assertThat(r.path()).isEqualTo(file);
    assertThat(r.digest()).contains("sha256:test");
  }

  @Test
  void anUnknownSchemeNamesTheReferenceAndWhatToAdd() {
    assertThatThrownBy(
            () ->
                ModuleSources.resolve(
                    ModuleReference.parse("registry://127.0.0.1:5000/p/x:v1"),
                    SourceOptions.defaults()))
        .isInstanceOf(ModuleSourceException.class)
        .hasMessageStartingWith(
            "registry://127.0.0.1:5000/p/x:v1: no module source for scheme 'registry'")
        .hasMessageContaining("add dev.k8swasm:k8s-wasm-oci to the class path")
        .hasMessageContaining("supported: [file, mem]");
    assertThatThrownBy(
            () ->
                ModuleSources.resolve(ModuleReference.parse("ftp://h/x"), SourceOptions.defaults()))
        .hasMessage("ftp://h/x: no module source for scheme 'ftp'; supported: [file, mem]");
  }

  @Test
  void aMissingLocalFileIsNamed() {
    Path missing = dir.resolve("nope.wasm");
    assertThatThrownBy(
            () -> ModuleSources.resolve(ModuleReference.of(missing), SourceOptions.defaults()))
        .isInstanceOf(ModuleSourceException.class)
        .hasMessage(missing + ": module file not found");
  }

  @Test
  void loadResolvesARemoteSourceWithTheSpecsOptions() throws Exception {
    Path file = Files.writeString(dir.resolve("remote.json"), "{}");
    MemoryResolver.put("remote", file);
    SourceOptions options =
        SourceOptions.builder().pullPolicy(SourceOptions.PullPolicy.ALWAYS).build();
    ModuleSpec spec =
        ModuleSpec.builder("remote")
            .source(ModuleReference.parse("mem://remote"))
            .extension(SourceOptions.class, options)
            .build();
    assertThat(spec.path()).isEmpty();
    assertThat(spec.origin()).isEqualTo("mem://remote");
    ModuleSpec resolved = ModuleRuntimes.resolved(spec);
    assertThat(resolved.path()).contains(file);
    assertThat(resolved.origin()).isEqualTo("mem://remote");
    assertThat(MemoryResolver.SEEN).contains(options);
    try (var module = ModuleRuntimes.load(spec)) {
      assertThat(module).isNotNull();
    }
  }

  @Test
  void aResolverFailureIsALoadFailureNamingTheModule() {
    ModuleSpec spec =
        ModuleSpec.builder("gone").source(ModuleReference.parse("mem://gone")).build();
    assertThatThrownBy(() -> ModuleRuntimes.load(spec))
        .isInstanceOf(ModuleException.class)
        .satisfies(
            e -> assertThat(((ModuleException) e).reason()).isEqualTo(FailureReason.LOAD_FAILED))
        .hasMessage("module 'gone': mem://gone: no such module in memory [LOAD_FAILED]");
  }

  @Test
  void configurationKeepsRemoteReferencesIntactAndRefusesUnknownSchemesUpFront() {
    var config =
        ConfigLoader.parse(
            Json.readTree("{\"modules\": [{\"module\": \"mem://a/b/policy:v1\"}]}".getBytes()),
            dir,
            "c.yaml");
    assertThat(config.modules().get(0).module().text()).isEqualTo("mem://a/b/policy:v1");
    assertThat(config.modules().get(0).name()).isEqualTo("policy");
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    Json.readTree(
                        "{\"modules\": [{\"module\": \"registry://127.0.0.1:5000/p/x:v1\"}]}"
                            .getBytes()),
                    dir,
                    "c.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "c.yaml: modules[0] (x): field 'module': 'registry://127.0.0.1:5000/p/x:v1': no module"
                + " source for scheme 'registry' (add dev.k8swasm:k8s-wasm-oci to the class path)");
  }
}
