package dev.k8swasm.oci;

import static dev.k8swasm.oci.StoreAssertions.assertNothingHalfWritten;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.source.ModuleSourceException;
import dev.k8swasm.source.SourceOptions.PullPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryDownTest {
  @TempDir Path dir;

  @Test
  void aRegistryThatIsDownIsNamedAndTheStoredCopyStaysUsable() throws Exception {
    Path store = dir.resolve("store");
    try (RegistryServer registry = RegistryServer.plain(dir.resolve("registry"))) {
      Path sources =
          Files.writeString(
              dir.resolve("sources.yml"), "insecure_sources: [\"" + registry.address() + "\"]\n");
      Oci oci = Oci.of(OciOptions.builder().sources(sources).storeDir(store).build());
      String ref = "registry://" + registry.address() + "/policies/down:v1";
      oci.push(Artifacts.POLICY, ref, Map.of());
      StoredModule stored = oci.pull(ref);
      registry.stop();

      assertThatThrownBy(() -> oci.pull(ref))
          .isInstanceOf(ModuleSourceException.class)
          .hasMessage(
              ref
                  + ": cannot reach registry "
                  + registry.address()
                  + ": connection refused (is it running, is the address right?)");
      assertThatThrownBy(() -> oci.pull("registry://" + registry.address() + "/policies/other:v1"))
          .hasMessageContaining("connection refused");
      assertThat(oci.resolve(ref, PullPolicy.IF_NOT_PRESENT).digest()).isEqualTo(stored.digest());
      assertThat(Files.readAllBytes(stored.path())).isEqualTo(Files.readAllBytes(Artifacts.POLICY));
      assertNothingHalfWritten(store);
    }
  }

  @Test
  void temporaryFilesLeftByAKilledPullAreDeletedWhenOld() throws Exception {
    Path store = dir.resolve("store");
    Path tmp = Files.createDirectories(store.resolve("tmp"));
    Path old = Files.write(tmp.resolve("pull-1.part"), new byte[] {0, 'a'});
    Path fresh = Files.write(tmp.resolve("pull-2.part"), new byte[] {0, 'a'});
    Files.setLastModifiedTime(
        old,
        java.nio.file.attribute.FileTime.from(
            java.time.Instant.now().minus(java.time.Duration.ofDays(2))));
    Oci.of(OciOptions.builder().storeDir(store).build());
    assertThat(old).doesNotExist();
    assertThat(fresh).exists();
    assertThat(new LocalStore(store).list()).isEmpty();
  }
}
