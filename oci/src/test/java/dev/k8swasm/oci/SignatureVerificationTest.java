package dev.k8swasm.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.source.ModuleSourceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cosign-style public-key signatures, made by the test with a key pair it generates. */
class SignatureVerificationTest {
  @TempDir static Path shared;
  static RegistryServer registry;
  static Path sources;
  static KeyPair signer;
  static KeyPair stranger;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    registry = RegistryServer.plain(shared.resolve("registry"));
    sources =
        Files.writeString(
            shared.resolve("sources.yml"), "insecure_sources: [\"" + registry.address() + "\"]\n");
    signer = keys();
    stranger = keys();
  }

  @AfterAll
  static void stop() throws Exception {
    registry.close();
  }

  static KeyPair keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  String ref(String repo) {
    return "registry://" + registry.address() + "/" + repo;
  }

  Oci plain() {
    return Oci.of(OciOptions.builder().sources(sources).storeDir(dir.resolve("store")).build());
  }

  Oci verifying(Map<String, String> annotations) throws Exception {
    Path config =
        Artifacts.verificationConfig(dir.resolve("verification-config.yml"), signer, annotations);
    return Oci.of(
        OciOptions.builder()
            .sources(sources)
            .storeDir(dir.resolve("store"))
            .verificationConfig(config)
            .build());
  }

  Artifacts artifacts() {
    return new Artifacts(OciOptions.builder().build(), sources, dir);
  }

  @Test
  void aCorrectlySignedModuleLoads() throws Exception {
    String ref = ref("signed/good:v1");
    String digest = plain().push(Artifacts.POLICY, ref, Map.of());
    artifacts().sign(OciReference.parse(ref), digest, signer, Map.of("env", "prod"));
    StoredModule m = verifying(Map.of("env", "prod")).pull(ref);
    assertThat(m.manifestDigest()).contains(digest);
    // a stored copy is verified again when used
    assertThat(
            verifying(Map.of())
                .resolve(ref, dev.k8swasm.source.SourceOptions.PullPolicy.IF_NOT_PRESENT)
                .digest())
        .isEqualTo(m.digest());
  }

  @Test
  void anUnsignedModuleIsRefusedAndNotStored() throws Exception {
    String ref = ref("signed/unsigned:v1");
    String digest = plain().push(Artifacts.POLICY, ref, Map.of());
    assertThatThrownBy(() -> verifying(Map.of()).pull(ref))
        .isInstanceOf(ModuleSourceException.class)
        .hasMessage(
            ref
                + ": signature verification failed: the module is not signed (no sha256-"
                + digest.substring(7)
                + ".sig in signed/unsigned)");
    assertThat(new LocalStore(dir.resolve("store")).list()).isEmpty();
  }

  @Test
  void aSignatureByAnotherKeyIsRefused() throws Exception {
    String ref = ref("signed/stranger:v1");
    String digest = plain().push(Artifacts.POLICY, ref, Map.of());
    artifacts().sign(OciReference.parse(ref), digest, stranger, Map.of());
    assertThatThrownBy(() -> verifying(Map.of()).pull(ref))
        .hasMessage(
            ref
                + ": signature verification failed: no valid signature for "
                + digest
                + " by the key of allOf verification config "
                + dir.resolve("verification-config.yml")
                + ": allOf[0] (tests)");
  }

  @Test
  void aTamperedModuleIsRefused() throws Exception {
    // signed, then the tag is moved to other content: the signature names the old digest
    String ref = ref("signed/tampered:v1");
    String signed = plain().push(Artifacts.POLICY, ref, Map.of());
    artifacts().sign(OciReference.parse(ref), signed, signer, Map.of());
    String moved = plain().push(Artifacts.POLICY, ref, Map.of("evil", "yes"));
    assertThat(moved).isNotEqualTo(signed);
    // the signature of the old manifest copied to the new one's tag does not verify either
    OciReference r = OciReference.parse(ref);
    byte[] oldSig = artifacts().manifestBytes(r, "sha256-" + signed.substring(7) + ".sig");
    new RegistryClient(OciOptions.builder().build(), Sources.read(sources))
        .pushManifest(r, "sha256-" + moved.substring(7) + ".sig", oldSig, MediaTypes.OCI_MANIFEST);
    assertThatThrownBy(() -> verifying(Map.of()).pull(ref))
        .hasMessageContaining("signature verification failed: no valid signature for " + moved);
    // pinned to the signed digest it loads
    assertThat(verifying(Map.of()).pull(ref + "@" + signed).manifestDigest()).contains(signed);
  }

  @Test
  void missingAnnotationsAreRefused() throws Exception {
    String ref = ref("signed/annotations:v1");
    String digest = plain().push(Artifacts.POLICY, ref, Map.of());
    artifacts().sign(OciReference.parse(ref), digest, signer, Map.of("env", "dev"));
    assertThatThrownBy(() -> verifying(Map.of("env", "prod")).pull(ref))
        .hasMessageEndingWith("allOf[0] (tests) with annotations {env=prod}");
  }

  @Test
  void keylessAndMalformedConfigsAreRefusedWhenRead() throws Exception {
    Path keyless =
        Files.writeString(
            dir.resolve("keyless.yml"),
            "apiVersion: v1\nallOf:\n- kind: genericIssuer\n  issuer: https://token.actions.githubusercontent.com\n  subject: {equal: x}\n");
    assertThatThrownBy(() -> Oci.of(OciOptions.builder().verificationConfig(keyless).build()))
        .hasMessage(
            "verification config "
                + keyless
                + ": allOf[0]: kind 'genericIssuer' is not supported (keyless signatures need the Sigstore"
                + " Fulcio/Rekor services; only pubKey is supported)");
    Path noKey =
        Files.writeString(dir.resolve("nokey.yml"), "allOf:\n- kind: pubKey\n  key: nope\n");
    assertThatThrownBy(() -> Oci.of(OciOptions.builder().verificationConfig(noKey).build()))
        .hasMessageContaining("allOf[0]: 'key' is not a PEM public key");
    Path empty = Files.writeString(dir.resolve("empty.yml"), "apiVersion: v1\n");
    assertThatThrownBy(() -> Oci.of(OciOptions.builder().verificationConfig(empty).build()))
        .hasMessageContaining("no signatures required");
  }

  @Test
  void anyOfCountsMatches() throws Exception {
    String ref = ref("signed/any:v1");
    String digest = plain().push(Artifacts.POLICY, ref, Map.of());
    artifacts().sign(OciReference.parse(ref), digest, signer, Map.of());
    String pemSigner = RegistryServer.pem(signer.getPublic()).replace("\n", "\n      ");
    String pemStranger = RegistryServer.pem(stranger.getPublic()).replace("\n", "\n      ");
    String any =
        "apiVersion: v1\nanyOf:\n  minimumMatches: %d\n  signatures:\n  - kind: pubKey\n    key: |\n      %s\n  - kind: pubKey\n    key: |\n      %s\n";
    Path one = Files.writeString(dir.resolve("any1.yml"), any.formatted(1, pemSigner, pemStranger));
    Path two = Files.writeString(dir.resolve("any2.yml"), any.formatted(2, pemSigner, pemStranger));
    OciOptions.Builder b = OciOptions.builder().sources(sources).storeDir(dir.resolve("store"));
    assertThat(Oci.of(b.verificationConfig(one).build()).pull(ref).manifestDigest())
        .contains(digest);
    assertThatThrownBy(() -> Oci.of(b.verificationConfig(two).build()).pull(ref))
        .hasMessage(
            ref + ": signature verification failed: 1 of the anyOf signatures match, 2 required");
  }
}
