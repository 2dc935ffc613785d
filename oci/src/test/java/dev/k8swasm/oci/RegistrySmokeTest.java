package dev.k8swasm.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistrySmokeTest {
  @TempDir Path dir;

  @Test
  void pushThenPull() throws Exception {
    Path wasm = Path.of("../examples/modules/kubewarden/policy_wapc_start.wasm");
    try (RegistryServer r = RegistryServer.plain(dir.resolve("reg"))) {
      Path sources =
          Files.writeString(
              dir.resolve("sources.yml"), "insecure_sources: [\"" + r.address() + "\"]\n");
      Oci oci =
          Oci.of(OciOptions.builder().sources(sources).storeDir(dir.resolve("store")).build());
      String ref = "registry://" + r.address() + "/policies/x:v1";
      String digest = oci.push(wasm, ref, Map.of("io.kubewarden.policy.title", "x"));
      StoredModule m = oci.pull(ref);
      assertThat(m.manifestDigest()).contains(digest);
      assertThat(Files.readAllBytes(m.path())).isEqualTo(Files.readAllBytes(wasm));
    }
  }
}
