package dev.k8swasm.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The library's {@code module-info} descriptors work on the module path: the modules resolve with
 * their dependencies, export only their API, find the module runtimes through {@code provides}, and
 * evaluate a real module with Jackson binding the wire types. (The unit tests of each module run on
 * the class path; this is where the module path is exercised.)
 */
class ModulePathTest {

  /** Every library module; a new one is added here and to this module's pom. */
  static final Set<String> LIBRARY_MODULES =
      Set.of(
          "dev.k8swasm.core",
          "dev.k8swasm.wasi",
          "dev.k8swasm.kubewarden",
          "dev.k8swasm.fabric8",
          "dev.k8swasm.testing",
          "dev.k8swasm.cluster");

  private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

  private static ModuleLayer layer() {
    Path[] entries =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .map(Path::of)
            .filter(Files::exists)
            .filter(p -> !p.toString().contains("architecture"))
            .toArray(Path[]::new);
    Configuration cf =
        ModuleLayer.boot()
            .configuration()
            .resolveAndBind(ModuleFinder.of(entries), ModuleFinder.of(), LIBRARY_MODULES);
    return ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
  }

  @Test
  void everyLibraryModuleIsExplicitAndExportsOnlyItsApi() {
    ModuleLayer layer = layer();

    for (String name : LIBRARY_MODULES) {
      ModuleDescriptor d = layer.findModule(name).orElseThrow().getDescriptor();
      assertThat(d.isAutomatic()).as("%s has a module-info", name).isFalse();
    }
    ModuleDescriptor core = layer.findModule("dev.k8swasm.core").orElseThrow().getDescriptor();
    assertThat(unqualifiedExports(core)).doesNotContain("dev.k8swasm.internal");
    assertThat(core.packages()).contains("dev.k8swasm.internal");
    ModuleDescriptor wasi = layer.findModule("dev.k8swasm.wasi").orElseThrow().getDescriptor();
    assertThat(unqualifiedExports(wasi)).containsExactly("dev.k8swasm.wasi");
    assertThat(wasi.exports())
        .filteredOn(e -> e.source().equals("dev.k8swasm.wasi.sandbox"))
        .singleElement()
        .satisfies(e -> assertThat(e.targets()).contains("dev.k8swasm.kubewarden"));
  }

  @Test
  void runtimesAreFoundAndAModuleIsEvaluatedOnTheModulePath() throws Exception {
    ModuleLayer layer = layer();
    ClassLoader loader = layer.findLoader("dev.k8swasm.core");
    assertThat(loader.loadClass("dev.k8swasm.module.ModuleRuntimes").getModule().getName())
        .isEqualTo("dev.k8swasm.core");

    Object types =
        loader.loadClass("dev.k8swasm.module.ModuleRuntimes").getMethod("types").invoke(null);
    assertThat(((List<?>) types).stream().map(String::valueOf)).contains("wasi", "kubewarden");

    Object chain =
        loader
            .loadClass("dev.k8swasm.config.Chains")
            .getMethod("admission", Path.class)
            .invoke(null, EXAMPLES.resolve("config/admission.yaml"));
    Class<?> reviewType = loader.loadClass("dev.k8swasm.admission.AdmissionReview");
    Object review =
        loader
            .loadClass("dev.k8swasm.json.Json")
            .getMethod("read", byte[].class, Class.class)
            .invoke(
                null,
                Files.readAllBytes(
                    EXAMPLES.resolve("requests/admission-configmap-not-allowed.json")),
                reviewType);
    Method admit = chain.getClass().getMethod("admit", reviewType);
    Object answer = admit.invoke(chain, review);
    String json =
        new String(
            (byte[])
                loader
                    .loadClass("dev.k8swasm.json.Json")
                    .getMethod("write", Object.class)
                    .invoke(null, answer),
            java.nio.charset.StandardCharsets.UTF_8);
    ((AutoCloseable) chain).close();

    assertThat(json).contains("\"allowed\":false");
  }

  private static Set<String> unqualifiedExports(ModuleDescriptor d) {
    return d.exports().stream()
        .filter(e -> !e.isQualified())
        .map(ModuleDescriptor.Exports::source)
        .collect(Collectors.toSet());
  }
}
