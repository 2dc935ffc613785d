package dev.k8swasm.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real registry with TLS (a CA made by the test) and htpasswd basic authentication. */
class TlsAuthRegistryTest {
  static final String USER = "policy-bot";
  static final String PASSWORD = "s3cret-pass-word";

  @TempDir static Path dir;
  static RegistryServer registry;
  static Path sources;
  static Path goodConfig;

  @BeforeAll
  static void start() throws Exception {
    registry = RegistryServer.tls(dir.resolve("registry"), USER, PASSWORD);
    StringBuilder y =
        new StringBuilder(
            "source_authorities:\n  \""
                + registry.address()
                + "\":\n  - type: Data\n    data: |\n");
    for (String line : Files.readAllLines(registry.caPem())) {
      y.append("      ").append(line).append('\n');
    }
    sources = Files.writeString(dir.resolve("sources.yml"), y.toString());
    goodConfig =
        RegistryServer.dockerConfig(dir.resolve("config.json"), registry.address(), USER, PASSWORD);
  }

  @AfterAll
  static void stop() throws Exception {
    registry.close();
  }

  String ref(String repo) {
    return "registry://" + registry.address() + "/" + repo;
  }

  @Test
  void credentialsFromTheDockerConfigAndTheCaFromSourcesPushAndPull() throws Exception {
    Oci oci =
        Oci.of(
            OciOptions.builder()
                .sources(sources)
                .dockerConfig(goodConfig)
                .storeDir(dir.resolve("store-ok"))
                .build());
    String digest = oci.push(Artifacts.POLICY, ref("team/policy:v1"), Map.of());
    StoredModule m = oci.pull(ref("team/policy:v1"));
    assertThat(m.manifestDigest()).contains(digest);
    assertThat(Files.readAllBytes(m.path())).isEqualTo(Files.readAllBytes(Artifacts.POLICY));
  }

  @Test
  void withoutCredentialsTheErrorSaysWhereToPutThem() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.json"), "{\"auths\": {}}");
    Oci oci =
        Oci.of(
            OciOptions.builder()
                .sources(sources)
                .dockerConfig(empty)
                .storeDir(dir.resolve("store-none"))
                .build());
    assertThatThrownBy(() -> oci.pull(ref("team/policy:v1")))
        .hasMessage(
            ref("team/policy:v1")
                + ": the registry requires credentials for "
                + registry.address()
                + " (401 Unauthorized); add them to the Docker config.json (--docker-config-json-path, read: "
                + empty
                + ")");
  }

  @Test
  void wrongCredentialsAreRefusedAndThePasswordIsNeverShown() throws Exception {
    Path wrong =
        RegistryServer.dockerConfig(
            dir.resolve("wrong.json"), registry.address(), USER, "not-the-password");
    Oci oci =
        Oci.of(
            OciOptions.builder()
                .sources(sources)
                .dockerConfig(wrong)
                .storeDir(dir.resolve("store-wrong"))
                .build());
    assertThatThrownBy(() -> oci.pull(ref("team/policy:v1")))
        .hasMessage(
            ref("team/policy:v1")
                + ": the registry refused the credentials for "
                + registry.address()
                + " (401 Unauthorized)")
        .satisfies(e -> assertThat(e.toString()).doesNotContain("not-the-password"));
    assertThat(new LocalStore(dir.resolve("store-wrong")).list()).isEmpty();
  }

  @Test
  void anUntrustedCertificateSaysHowToTrustIt() {
    Oci oci =
        Oci.of(
            OciOptions.builder()
                .dockerConfig(goodConfig)
                .storeDir(dir.resolve("store-tls"))
                .build());
    assertThatThrownBy(() -> oci.pull(ref("team/policy:v1")))
        .hasMessageStartingWith(
            ref("team/policy:v1") + ": TLS with " + registry.address() + " failed: ")
        .hasMessageEndingWith(
            "(add its CA to source_authorities in --sources-path, or list it in insecure_sources for plain HTTP)");
  }
}
