package dev.k8swasm.wasi.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.ModuleSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compile cache holds classes the JVM loads, so it trusts its directory as ssh trusts {@code
 * ~/.ssh}: it creates it private, and does not use a directory or entry that others may write or
 * that another user owns.
 */
class CompileCachePermissionsTest {
  @TempDir Path dir;
  private Path cacheDir;
  private String key;

  @BeforeEach
  void posixOnly() throws IOException {
    assumeTrue(
        FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
        "needs a file system with POSIX permissions");
    cacheDir = dir.resolve("cache");
    key = CompileCache.key(Files.readAllBytes(SandboxModules.path("scribble")));
  }

  private ModuleSpec spec() {
    return SandboxModules.spec("scribble", Engine.COMPILER, InstanceStrategy.SNAPSHOT).toBuilder()
        .option(CompileCache.OPTION, TextNode.valueOf(cacheDir.toString()))
        .build();
  }

  private long scribble() {
    try (SandboxedModule<HostImports> module = SandboxedModule.builder(spec()).build()) {
      return module.evaluate(
          new byte[0],
          g -> {
            g.call("scribble", 3);
            return g.call("pages")[0];
          });
    }
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  /**
   * Plants an entry for scribble whose content is not compiled code: a host that uses it fails to
   * load it, removes it and compiles again; one that does not use it leaves it as it is.
   */
  private Path plantEntry() throws IOException {
    CompileCache cache = CompileCache.open(cacheDir).orElseThrow();
    Path entry = cache.file(key);
    Files.deleteIfExists(entry);
    Files.deleteIfExists(entry.resolveSibling(entry.getFileName().toString() + ".traits"));
    cache.putIfAbsent(key, "planted: not a jar of classes".getBytes(StandardCharsets.UTF_8));
    assertThat(entry).exists();
    return entry;
  }

  @Test
  void theCacheDirectoriesAreCreatedPrivate() throws IOException {
    CompileCache cache = CompileCache.forSpec(spec()).orElseThrow();
    assertThat(mode(cacheDir)).isEqualTo("rwx------");
    assertThat(mode(cache.directory())).isEqualTo("rwx------");
    assertThat(scribble()).isEqualTo(3);
    assertThat(cache.file(key)).exists();
  }

  @Test
  void aPlantedEntryInAPrivateCacheIsRead() throws IOException {
    // the control of the next test: in a private cache the planted entry is read (and, as it is
    // not compiled code, replaced by a good one)
    Path entry = plantEntry();
    byte[] planted = Files.readAllBytes(entry);
    assertThat(scribble()).isEqualTo(3);
    assertThat(Files.readAllBytes(entry)).isNotEqualTo(planted);
  }

  @Test
  void aForeignWritableCacheIsNotUsed() throws IOException {
    Path entry = plantEntry();
    byte[] planted = Files.readAllBytes(entry);
    Files.setPosixFilePermissions(cacheDir, PosixFilePermissions.fromString("rwxrwxrwx"));

    assertThat(CompileCache.forSpec(spec())).as("the cache is refused").isEmpty();
    assertThat(scribble()).isEqualTo(3);
    assertThat(Files.readAllBytes(entry)).as("the planted entry was not read").isEqualTo(planted);
    assertThat(entry.getParent()).isDirectoryNotContaining("glob:**.traits");
  }

  @Test
  void aGroupWritableVersionDirectoryIsNotUsed() throws IOException {
    Path entry = plantEntry();
    byte[] planted = Files.readAllBytes(entry);
    Files.setPosixFilePermissions(entry.getParent(), PosixFilePermissions.fromString("rwxrwx---"));

    assertThat(CompileCache.forSpec(spec())).isEmpty();
    assertThat(scribble()).isEqualTo(3);
    assertThat(Files.readAllBytes(entry)).isEqualTo(planted);
  }

  @Test
  void aForeignWritableEntryIsNotUsed() throws IOException {
    Path entry = plantEntry();
    byte[] planted = Files.readAllBytes(entry);
    Files.setPosixFilePermissions(entry, PosixFilePermissions.fromString("rw-rw-rw-"));

    CompileCache cache = CompileCache.forSpec(spec()).orElseThrow();
    assertThat(cache.get(key)).as("the entry is refused").isNull();
    assertThat(scribble()).isEqualTo(3);
    assertThat(Files.readAllBytes(entry)).isEqualTo(planted);
  }

  @Test
  void anEntryOfAnotherUserIsNotUsed() throws IOException {
    Path entry = plantEntry();
    byte[] planted = Files.readAllBytes(entry);
    try {
      // uid 65534 is "nobody" on Linux; only root may give a file away
      Files.setAttribute(entry, "unix:uid", 65534);
    } catch (IOException | UnsupportedOperationException e) {
      assumeTrue(false, "cannot change the owner of a file here (needs root): " + e);
    }

    CompileCache cache = CompileCache.forSpec(spec()).orElseThrow();
    assertThat(cache.get(key)).isNull();
    assertThat(scribble()).isEqualTo(3);
    assertThat(Files.readAllBytes(entry)).isEqualTo(planted);
  }

  @Test
  void aPrivateExistingDirectoryIsUsed() throws IOException {
    Files.createDirectories(cacheDir);
    Files.setPosixFilePermissions(cacheDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(CompileCache.forSpec(spec())).as("readable by others is fine").isPresent();
  }
}
