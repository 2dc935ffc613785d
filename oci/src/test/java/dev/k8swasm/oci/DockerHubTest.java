package dev.k8swasm.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Docker Hub's naming: its API host, library/ images and docker login's credential key. */
class DockerHubTest {
  @TempDir Path dir;

  @Test
  void dockerIoNamesAreNormalised() throws Exception {
    assertThat(OciReference.parse("registry://docker.io/busybox").repository())
        .isEqualTo("library/busybox");
    assertThat(OciReference.parse("registry://docker.io/org/policy:v1").repository())
        .isEqualTo("org/policy");
    assertThat(OciReference.parse("registry://ghcr.io/policy").repository()).isEqualTo("policy");
    assertThat(RegistryClient.apiHost("docker.io")).isEqualTo("registry-1.docker.io");
    assertThat(RegistryClient.apiHost("ghcr.io")).isEqualTo("ghcr.io");
    Path config =
        RegistryServer.dockerConfig(
            dir.resolve("config.json"), "https://index.docker.io/v1/", "me", "pw");
    assertThat(Credentials.lookup(config, "docker.io")).isPresent();
    assertThat(Credentials.lookup(config, "ghcr.io")).isEmpty();
    assertThat(Credentials.lookup(config, "docker.io").orElseThrow().toString())
        .doesNotContain("pw");
  }
}
