package dev.k8swasm.oci;

import static dev.k8swasm.oci.StoreAssertions.assertNothingHalfWritten;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.source.ModuleSourceException;
import dev.k8swasm.source.SourceOptions.PullPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pull and push against a real registry over plain HTTP (listed in insecure_sources). */
class PlainRegistryTest {
  @TempDir static Path shared;
  static RegistryServer registry;
  static Path sources;

  @TempDir Path dir;
  Path store;
  Oci oci;
  Artifacts artifacts;

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = RegistryServer.plain(shared.resolve("registry"));
    sources =
        Files.writeString(
            shared.resolve("sources.yml"),
            "insecure_sources:\n  - \"" + registry.address() + "\"\n");
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    registry.close();
  }

  @BeforeEach
  void client() {
    store = dir.resolve("store");
    OciOptions options = OciOptions.builder().sources(sources).storeDir(store).build();
    oci = Oci.of(options);
    artifacts = new Artifacts(options, sources, dir);
  }

  String ref(String repoAndTag) {
    return "registry://" + registry.address() + "/" + repoAndTag;
  }

  @Test
  void pushedModulesArePulledIntoTheStoreListedAndRemoved() throws Exception {
    String ref = ref("policies/round-trip:v1");
    String manifestDigest =
        oci.push(Artifacts.POLICY, ref, Map.of("io.kubewarden.policy.title", "round trip"));
    StoredModule m = oci.pull(ref);
    assertThat(m.reference()).isEqualTo(ref);
    assertThat(m.manifestDigest()).contains(manifestDigest);
    assertThat(m.digest()).isEqualTo(RegistryClient.Digests.sha256(Artifacts.POLICY));
    assertThat(m.size()).isEqualTo(Files.size(Artifacts.POLICY));
    assertThat(m.annotations()).containsEntry("io.kubewarden.policy.title", "round trip");
    assertThat(Files.readAllBytes(m.path())).isEqualTo(Files.readAllBytes(Artifacts.POLICY));
    assertThat(m.path()).startsWith(store);
    assertThat(oci.store().list()).extracting(StoredModule::reference).containsExactly(ref);
    assertNothingHalfWritten(store);

    assertThat(oci.store().remove(ref)).isTrue();
    assertThat(oci.store().list()).isEmpty();
    assertThat(StoreAssertions.blobs(store)).isEmpty();
    assertThat(oci.store().remove(ref)).isFalse();
  }

  @Test
  void aPinnedDigestIsCheckedAndAMismatchRefused() throws Exception {
    String ref = ref("policies/pinned:v1");
    String digest = oci.push(Artifacts.POLICY, ref, Map.of());
    assertThat(oci.pull(ref + "@" + digest).manifestDigest()).contains(digest);
    String other = "sha256:" + "0".repeat(64);
    assertThatThrownBy(() -> oci.pull(ref + "@" + other))
        .isInstanceOf(ModuleSourceException.class)
        .hasMessageStartingWith(ref + "@" + other + ": ");
    // the tag exists, the digest does not: the registry finds no such manifest
    String tagged = ref("policies/pinned-moved:v1");
    String first = oci.push(Artifacts.POLICY, tagged, Map.of("rev", "1"));
    oci.push(Artifacts.POLICY, tagged, Map.of("rev", "2"));
    // the same registry holds both manifests; pinning the first by digest still gives the first
    assertThat(oci.pull(tagged + "@" + first).annotations()).containsEntry("rev", "1");
    assertThat(oci.pull(tagged).annotations()).containsEntry("rev", "2");
  }

  @Test
  void aDigestMismatchBetweenPinAndContentIsRefused() throws Exception {
    // an index whose entry names a digest the registry does not serve under that name cannot be
    // built against a real registry; the manifest digest check is what a pin relies on:
    String ref = ref("policies/mismatch:v1");
    String digest = oci.push(Artifacts.POLICY, ref, Map.of());
    byte[] body = artifacts.manifestBytes(OciReference.parse(ref), "v1");
    assertThat(RegistryClient.Digests.sha256(body)).isEqualTo(digest);
    String wrong = "sha256:" + "1".repeat(64);
    assertThatThrownBy(() -> oci.pull(ref("policies/mismatch:v1@" + wrong)))
        .hasMessageContaining("manifest " + wrong + " not found in policies/mismatch (404)");
    assertThat(oci.store().list()).isEmpty();
  }

  @Test
  void aMissingTagIsA404NamingTheTag() {
    assertThatThrownBy(() -> oci.pull(ref("policies/nothing-here:v9")))
        .isInstanceOf(ModuleSourceException.class)
        .hasMessage(
            ref("policies/nothing-here:v9")
                + ": tag 'v9' not found in policies/nothing-here (404)");
  }

  @Test
  void aLayerThatIsNotWasmIsRefusedAndNothingIsStored() throws Exception {
    OciReference ref = OciReference.parse(ref("policies/not-wasm:v1"));
    artifacts.manifest(
        ref,
        "v1",
        "application/vnd.oci.image.layer.v1.tar+gzip",
        new byte[] {1, 2, 3},
        3,
        Map.of());
    assertThatThrownBy(() -> oci.pull(ref.toString()))
        .hasMessage(
            ref
                + ": not a Wasm artifact: no layer of media type application/vnd.wasm.content.layer.v1+wasm"
                + " (layers: [application/vnd.oci.image.layer.v1.tar+gzip])");
    byte[] text = "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8);
    artifacts.manifest(ref, "v2", MediaTypes.WASM_LAYER, text, text.length, Map.of());
    assertThatThrownBy(() -> oci.pull(ref.withTag("v2").toString()))
        .hasMessageContaining("the Wasm layer is not a WebAssembly module");
    assertThat(oci.store().list()).isEmpty();
    assertThat(StoreAssertions.blobs(store)).isEmpty();
    assertNothingHalfWritten(store);
  }

  @Test
  void aManifestBombIsRefusedBeforeDownloading() throws Exception {
    OciReference ref = OciReference.parse(ref("policies/bomb:v1"));
    byte[] wasm = Files.readAllBytes(Artifacts.POLICY);
    artifacts.manifest(ref, "v1", MediaTypes.WASM_LAYER, wasm, 1L << 40, Map.of());
    assertThatThrownBy(() -> oci.pull(ref.toString()))
        .hasMessage(
            ref + ": the Wasm layer of 1099511627776 bytes exceeds the limit of 268435456 bytes");
    // a manifest bigger than the limit
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      big.append("padding-").append(i).append(' ');
    }
    artifacts.manifest(
        ref, "v2", MediaTypes.WASM_LAYER, wasm, wasm.length, Map.of("pad", big.toString()));
    Oci strict =
        Oci.of(
            OciOptions.builder().sources(sources).storeDir(store).maxManifestBytes(1024).build());
    assertThatThrownBy(() -> strict.pull(ref.withTag("v2").toString()))
        .hasMessageMatching(
            ".*: manifest (of \\d+ bytes exceeds the limit of 1024 bytes|larger than the limit of 1024 bytes)");
    // a layer that sends fewer bytes than declared
    artifacts.manifest(ref, "v3", MediaTypes.WASM_LAYER, wasm, wasm.length + 10, Map.of());
    assertThatThrownBy(() -> oci.pull(ref.withTag("v3").toString()))
        .isInstanceOf(ModuleSourceException.class);
    assertThat(oci.store().list()).isEmpty();
    assertNothingHalfWritten(store);
  }

  @Test
  void anIndexIsFollowedToItsWasmManifest() throws Exception {
    String ref = ref("policies/indexed:v1");
    String manifest = oci.push(Artifacts.POLICY, ref, Map.of("kind", "inner"));
    OciReference r = OciReference.parse(ref);
    int size = artifacts.manifestBytes(r, manifest).length;
    String index = artifacts.index(r, "multi", manifest, size);
    StoredModule m = oci.pull(ref("policies/indexed:multi"));
    assertThat(m.manifestDigest()).contains(index);
    assertThat(m.annotations()).containsEntry("kind", "inner");
    assertThat(Files.readAllBytes(m.path())).isEqualTo(Files.readAllBytes(Artifacts.POLICY));
  }

  @Test
  void concurrentPullsOfOneModuleLeaveOneIntactCopy() throws Exception {
    String ref = ref("policies/concurrent:v1");
    oci.push(Artifacts.POLICY, ref, Map.of());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<StoredModule>> pulls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Oci own = Oci.of(OciOptions.builder().sources(sources).storeDir(store).build());
        pulls.add(pool.submit(() -> own.pull(ref)));
      }
      for (Future<StoredModule> f : pulls) {
        assertThat(f.get(2, TimeUnit.MINUTES).digest())
            .isEqualTo(RegistryClient.Digests.sha256(Artifacts.POLICY));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(oci.store().list()).hasSize(1);
    assertThat(StoreAssertions.blobs(store)).hasSize(1);
    assertNothingHalfWritten(store);
  }

  @Test
  void aStoredCopyIsUsedWithoutTheRegistryAndACorruptOneIsPulledAgain() throws Exception {
    String ref = ref("policies/cached:v1");
    oci.push(Artifacts.POLICY, ref, Map.of());
    StoredModule first = oci.resolve(ref, PullPolicy.IF_NOT_PRESENT);
    assertThat(oci.resolve(ref, PullPolicy.IF_NOT_PRESENT).pulledAt()).isEqualTo(first.pulledAt());
    Files.write(first.path(), new byte[] {0, 'a', 's', 'm'});
    StoredModule again = oci.resolve(ref, PullPolicy.IF_NOT_PRESENT);
    assertThat(Files.readAllBytes(again.path())).isEqualTo(Files.readAllBytes(Artifacts.POLICY));
  }

  @Test
  void malformedReferencesAreOneLineErrors() {
    assertThatThrownBy(() -> oci.pull("registry://" + registry.address()))
        .hasMessage(
            "registry://"
                + registry.address()
                + ": malformed reference: expected registry://HOST[:PORT]/REPOSITORY[:TAG][@sha256:DIGEST]");
    assertThatThrownBy(() -> oci.pull(ref("Policies/x:v1")))
        .hasMessageStartingWith(
            ref("Policies/x:v1") + ": malformed reference: malformed repository 'Policies/x'");
  }
}
