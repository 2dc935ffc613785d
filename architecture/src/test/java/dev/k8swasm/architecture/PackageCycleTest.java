package dev.k8swasm.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No package of the library artifacts depends, directly or through others, on a package that
 * depends back on it. Covers every artifact in {@link #LIBRARY_PACKAGES} (each is a test dependency
 * of this module); to cover a new library module, add it to this module's pom and here.
 */
class PackageCycleTest {

  /** A package each library artifact must contribute, so a missing dependency cannot hide. */
  static final Map<String, String> LIBRARY_PACKAGES =
      Map.of(
          "k8s-wasm-core", "dev.k8swasm.admission",
          "k8s-wasm-wasi", "dev.k8swasm.wasi",
          "k8s-wasm-kubewarden-compat", "dev.k8swasm.kubewarden",
          "k8s-wasm-fabric8", "dev.k8swasm.fabric8",
          "k8s-wasm-testing", "dev.k8swasm.testing",
          "k8s-wasm-oci", "dev.k8swasm.oci",
          "k8s-wasm-rego", "dev.k8swasm.rego",
          "k8s-wasm-server", "dev.k8swasm.server",
          "k8s-wasm-cluster", "dev.k8swasm.cluster");

  /** The main classes of the library artifacts (never test classes). */
  private static final JavaClasses LIBRARY =
      new ClassFileImporter()
          .withImportOption(new ImportOption.DoNotIncludeTests())
          .importPackages("dev.k8swasm");

  /** Every package of the project is a slice; the slices must not form a cycle. */
  static ArchRule noPackageCycles() {
    return slices().matching("dev.k8swasm.(**)").should().beFreeOfCycles();
  }

  @Test
  void everyLibraryArtifactIsChecked() {
    LIBRARY_PACKAGES.forEach(
        (artifact, pkg) ->
            assertThat(LIBRARY.containPackage(pkg))
                .as("classes of %s (package %s) are imported", artifact, pkg)
                .isTrue());
  }

  @Test
  void libraryPackagesAreFreeOfCycles() {
    noPackageCycles().check(LIBRARY);
  }

  /** The cluster client sits above the runtimes: only the command line wires it in. */
  @Test
  void onlyTheCommandLineUsesTheClusterModule() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.k8swasm.cluster..", "dev.k8swasm.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.k8swasm.cluster..")
        .check(LIBRARY);
  }

  @Test
  void aCycleBetweenTwoPackagesFails() {
    JavaClasses fixture =
        new ClassFileImporter().importPackages("dev.k8swasm.architecture.fixture");

    assertThatThrownBy(() -> noPackageCycles().check(fixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Cycle detected")
        .hasMessageContaining("architecture.fixture.a")
        .hasMessageContaining("architecture.fixture.b");
  }
}
