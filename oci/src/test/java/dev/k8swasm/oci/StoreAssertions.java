package dev.k8swasm.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Checks that a store holds nothing half-written. */
final class StoreAssertions {
  private StoreAssertions() {}

  static void assertNothingHalfWritten(Path store) throws IOException {
    Path tmp = store.resolve("tmp");
    if (Files.isDirectory(tmp)) {
      try (Stream<Path> s = Files.list(tmp)) {
        assertThat(s.toList()).as("temporary files left in " + tmp).isEmpty();
      }
    }
    for (StoredModule m : new LocalStore(store).list()) {
      assertThat(RegistryClient.Digests.sha256(m.path())).isEqualTo(m.digest());
    }
  }

  static List<Path> blobs(Path store) throws IOException {
    Path dir = store.resolve("blobs/sha256");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}
