package dev.k8swasm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/k8s-wasm}, the launcher, run as a user runs it: it answers like {@code java -jar}, its
 * first run writes a private class-data sharing archive that the next run maps, and it trusts that
 * archive as the compile cache trusts its entries: a directory or archive that group or others may
 * write, that another user owns, or whose content was changed is not used, and the run still
 * answers.
 */
class LauncherIT {
  private static final String SHARED = "dev.k8swasm.cli.K8sWasm source: shared objects file";
  private static final String WARNING = "not using the class-data sharing archive";

  @TempDir Path dir;
  private Path cache;
  private Path classLog;

  @BeforeEach
  void posixOnly() {
    assumeTrue(
        FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
        "needs a file system with POSIX permissions and sh");
    cache = dir.resolve("cache");
    classLog = dir.resolve("classes.log");
  }

  private K8sWasmIT.Proc launch(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ReadmeCommandsIT.root().resolve("bin/k8s-wasm").toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
    pb.environment().remove("K8S_WASM_DEBUG");
    pb.environment().remove("K8SWASM_CDS");
    pb.environment().remove("K8SWASM_CDS_DIR");
    pb.environment().put("K8SWASM_JAR", K8sWasmIT.jar().toString());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("XDG_CACHE_HOME", cache.toString());
    Files.deleteIfExists(classLog);
    pb.environment().put("K8SWASM_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog + ":none");
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("bin/k8s-wasm did not finish: " + command);
    }
    return new K8sWasmIT.Proc(p.exitValue(), out.join(), err.join());
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private K8sWasmIT.Proc runValidator(Map<String, String> env) throws Exception {
    K8sWasmIT.Proc p =
        launch(
            env,
            "run",
            Cli.examples().resolve("modules/magic_validator.wasm").toString(),
            "-r",
            Cli.examples().resolve("requests/admission-configmap-create.json").toString(),
            "--output",
            "compact");
    assertThat(p.exitCode()).as(p.toString()).isZero();
    assertThat(p.out()).as(p.toString()).contains("\"allowed\":true");
    return p;
  }

  private boolean mappedTheArchive() throws IOException {
    return Files.readString(classLog).contains(SHARED);
  }

  private Path cdsDir() {
    return cache.resolve("k8s-wasm").resolve("cds");
  }

  private List<Path> archives() throws IOException {
    if (!Files.isDirectory(cdsDir())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(cdsDir())) {
      return files.filter(f -> f.getFileName().toString().endsWith(".jsa")).toList();
    }
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  @Test
  void theFirstRunWritesAPrivateArchiveThatTheNextRunMaps() throws Exception {
    K8sWasmIT.Proc first = runValidator(Map.of());
    assertThat(first.err()).as(first.toString()).doesNotContain(WARNING);
    assertThat(mappedTheArchive()).isFalse();
    assertThat(mode(cache.resolve("k8s-wasm"))).isEqualTo("rwx------");
    assertThat(mode(cdsDir())).isEqualTo("rwx------");
    assertThat(archives()).hasSize(1);
    assertThat(mode(archives().get(0))).isEqualTo("rw-------");
    try (Stream<Path> files = Files.list(cdsDir())) {
      assertThat(files.filter(f -> f.getFileName().toString().endsWith(".tmp"))).isEmpty();
    }

    K8sWasmIT.Proc second = runValidator(Map.of());
    assertThat(second.out()).isEqualTo(first.out());
    assertThat(second.err()).as(second.toString()).doesNotContain(WARNING);
    assertThat(mappedTheArchive()).as("classes come from the archive").isTrue();
  }

  @Test
  void aDirectoryOthersMayWriteIsNotUsed() throws Exception {
    Files.createDirectories(cdsDir());
    Files.setPosixFilePermissions(cdsDir(), PosixFilePermissions.fromString("rwxrwx---"));
    for (int i = 0; i < 2; i++) {
      K8sWasmIT.Proc p = runValidator(Map.of());
      assertThat(p.err())
          .as(p.toString())
          .contains(WARNING)
          .contains(cdsDir().toString())
          .contains("writable by group or others");
      assertThat(mappedTheArchive()).isFalse();
    }
    assertThat(archives()).isEmpty();
  }

  @Test
  void anArchiveOthersMayWriteIsNotUsed() throws Exception {
    runValidator(Map.of());
    Path archive = archives().get(0);
    Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rw-rw-rw-"));
    K8sWasmIT.Proc p = runValidator(Map.of());
    assertThat(p.err()).as(p.toString()).contains(WARNING).contains(archive.toString());
    assertThat(mappedTheArchive()).isFalse();
  }

  @Test
  void anArchiveAnotherUserOwnsIsNotUsed() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "chown needs root");
    runValidator(Map.of());
    Path archive = archives().get(0);
    Files.setOwner(
        archive,
        FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
    K8sWasmIT.Proc p = runValidator(Map.of());
    assertThat(p.err()).as(p.toString()).contains(WARNING).contains("owned by user");
    assertThat(mappedTheArchive()).isFalse();
  }

  @Test
  void aChangedArchiveIsNotMapped() throws Exception {
    runValidator(Map.of());
    Path archive = archives().get(0);
    byte[] content = Files.readAllBytes(archive);
    for (int i = content.length / 2; i < content.length / 2 + 64; i++) {
      content[i] ^= 0x5a;
    }
    Files.write(archive, content);
    K8sWasmIT.Proc p = runValidator(Map.of());
    assertThat(mappedTheArchive()).as(p.toString()).isFalse();
  }

  @Test
  void theArchiveCanBeTurnedOff() throws Exception {
    runValidator(Map.of("K8SWASM_CDS", "off"));
    runValidator(Map.of("K8SWASM_CDS", "off"));
    assertThat(mappedTheArchive()).isFalse();
    assertThat(cdsDir()).doesNotExist();
  }

  @Test
  void aMissingJarIsAOneLineError() throws Exception {
    K8sWasmIT.Proc p =
        launch(Map.of("K8SWASM_JAR", dir.resolve("missing.jar").toString()), "--version");
    assertThat(p.exitCode()).isEqualTo(1);
    assertThat(p.err().lines().toList())
        .singleElement()
        .asString()
        .startsWith("k8s-wasm: error: k8s-wasm.jar not found")
        .contains("K8SWASM_JAR");
  }
}
