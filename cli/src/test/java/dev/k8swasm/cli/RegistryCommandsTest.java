package dev.k8swasm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k8swasm.oci.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code push}, {@code pull}, {@code policies}, {@code rm} and registry references in {@code run},
 * {@code inspect}, {@code bench} and {@code run --config}, against a real registry.
 */
class RegistryCommandsTest {
  static final Path POLICY = Cli.examples().resolve("modules/kubewarden/policy_wapc_start.wasm");
  static final String REQUEST =
      Cli.examples().resolve("requests/kubewarden/pod-create-forbidden.json").toString();
  static final String SETTINGS =
      Cli.examples().resolve("requests/kubewarden/settings-forbid.json").toString();

  @TempDir static Path dir;
  static RegistryServer registry;
  static String sources;

  @BeforeAll
  static void start() throws Exception {
    registry = RegistryServer.plain(dir.resolve("registry"));
    sources =
        Files.writeString(
                dir.resolve("sources.yml"), "insecure_sources: [\"" + registry.address() + "\"]\n")
            .toString();
  }

  @AfterAll
  static void stop() throws Exception {
    registry.close();
  }

  /** A reference no other test uses (the store is shared by the test JVM). */
  static String fresh(String tag) {
    return "registry://"
        + registry.address()
        + "/policies/x-"
        + UUID.randomUUID().toString().substring(0, 8)
        + ":"
        + tag;
  }

  static Cli.Result push(String ref) {
    Cli.Result r = Cli.run("push", POLICY.toString(), ref, "--sources-path", sources);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }

  @Test
  void runOnAPushedReferenceAnswersLikeTheLocalFile() {
    String ref = fresh("v1");
    assertThat(push(ref).out().trim())
        .matches(java.util.regex.Pattern.quote(ref) + "@sha256:[a-f0-9]{64}");
    Cli.Result local =
        Cli.run("run", POLICY.toString(), "-r", REQUEST, "--settings-path", SETTINGS);
    Cli.Result remote =
        Cli.run("run", ref, "-r", REQUEST, "--settings-path", SETTINGS, "--sources-path", sources);
    assertThat(remote.exitCode()).as(remote.toString()).isZero();
    assertThat(remote.out()).isEqualTo(local.out());
    assertThat(remote.json().path("response").path("allowed").asBoolean(true)).isFalse();
    // a second run uses the stored copy: it works with the registry unreachable (no sources file
    // means https, which this plain registry does not speak)
    Cli.Result cached = Cli.run("run", ref, "-r", REQUEST, "--settings-path", SETTINGS);
    assertThat(cached.exitCode()).as(cached.toString()).isZero();
    assertThat(cached.out()).isEqualTo(local.out());
  }

  @Test
  void inspectPrintsTheMetadataOfAReference() {
    String ref = fresh("v1");
    push(ref);
    Cli.Result r = Cli.run("inspect", ref, "--sources-path", sources, "-o", "json");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.json().path("module").asText()).isEqualTo(ref);
    assertThat(r.json().path("type").asText()).isEqualTo("kubewarden");
    assertThat(
            r.json()
                .path("metadata")
                .path("annotations")
                .path("io.kubewarden.policy.title")
                .asText())
        .isEqualTo("k8s-wasm test policy");
  }

  @Test
  void pushAnnotatesTheManifestWithThePolicyMetadata() {
    String ref = fresh("v1");
    push(ref);
    Cli.Result pulled = Cli.run("pull", ref, "--sources-path", sources);
    assertThat(pulled.exitCode()).as(pulled.toString()).isZero();
    var stored =
        new dev.k8swasm.oci.LocalStore(dev.k8swasm.oci.OciOptions.defaultStoreDir())
            .find(ref)
            .orElseThrow();
    assertThat(stored.annotations())
        .containsEntry("io.kubewarden.policy.title", "k8s-wasm test policy");
  }

  @Test
  void aPinnedDigestThatDoesNotMatchIsRefused() {
    String ref = fresh("v1");
    push(ref);
    String wrong = ref + "@sha256:" + "0".repeat(64);
    Cli.Result r = Cli.run("run", wrong, "-r", REQUEST, "--sources-path", sources);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines())
        .containsExactly(
            "error: "
                + wrong
                + ": manifest sha256:"
                + "0".repeat(64)
                + " not found in "
                + ref.substring(ref.indexOf("/policies/") + 1, ref.lastIndexOf(':'))
                + " (404)");
  }

  @Test
  void pullListRemove() {
    String ref = fresh("v1");
    push(ref);
    Cli.Result pulled = Cli.run("pull", ref, "--sources-path", sources);
    assertThat(pulled.exitCode()).as(pulled.toString()).isZero();
    assertThat(pulled.out()).startsWith(ref + " manifest sha256:").contains(" bytes");
    Cli.Result list = Cli.run("policies");
    assertThat(list.exitCode()).isZero();
    assertThat(list.out().lines().filter(l -> l.startsWith(ref + "  ")))
        .singleElement()
        .satisfies(l -> assertThat(l).matches(".*  sha256:[a-f0-9]{64}  \\d+ bytes  .*"));
    assertThat(Cli.run("rm", ref).exitCode()).isZero();
    assertThat(Cli.run("policies").out()).doesNotContain(ref + "  ");
    Cli.Result again = Cli.run("rm", ref);
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.errLines())
        .containsExactly("error: " + ref + ": not in the local store (see k8s-wasm policies)");
  }

  @Test
  void unknownSchemesAndMalformedReferencesAreOneLineErrors() {
    Cli.Result unknown = Cli.run("run", "ftp://example.com/x.wasm", "-r", REQUEST);
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.errLines())
        .containsExactly(
            "error: ftp://example.com/x.wasm: no module source for scheme 'ftp'; supported: [file, http, https, registry]");
    Cli.Result malformed = Cli.run("inspect", "registry://" + registry.address());
    assertThat(malformed.errLines())
        .containsExactly(
            "error: registry://"
                + registry.address()
                + ": malformed reference: expected registry://HOST[:PORT]/REPOSITORY[:TAG][@sha256:DIGEST]");
    Cli.Result missing = Cli.run("pull", fresh("nope"), "--sources-path", sources);
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.errLines())
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .endsWith(
                        "tag 'nope' not found in "
                            + l.substring(l.indexOf("/policies/") + 1, l.lastIndexOf(":nope"))
                            + " (404)"));
  }

  @Test
  void aConfigFileNamingARegistryModuleRunsIt() throws Exception {
    String ref = fresh("v1");
    push(ref);
    Path config =
        Files.writeString(
            dir.resolve("admission-" + UUID.randomUUID() + ".yaml"),
            "modules:\n- name: remote\n  module: "
                + ref
                + "\n  type: kubewarden\n  settings: {forbiddenLabels: [\"forbidden\"]}\n");
    Cli.Result r =
        Cli.run("run", "--config", config.toString(), "-r", REQUEST, "--sources-path", sources);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.json().path("response").path("allowed").asBoolean(true)).isFalse();
    assertThat(r.json().path("response").path("status").path("message").asText())
        .contains("label forbidden is forbidden");
  }

  @Test
  void serveLoadsRegistryModulesWithItsRegistryFlags() throws Exception {
    String ref = fresh("v1");
    push(ref);
    Path config =
        Files.writeString(
            dir.resolve("server-" + UUID.randomUUID() + ".yaml"),
            "admission:\n  modules:\n  - name: remote\n    module: "
                + ref
                + "\n    type: kubewarden\n"
                + "    settings: {forbiddenLabels: [\"forbidden\"]}\n");
    Path out = dir.resolve("kube-" + UUID.randomUUID());
    // --print-kube-config loads every module as serving does, then writes the webhook files
    Cli.Result printed =
        Cli.run(
            "serve",
            "-c",
            config.toString(),
            "--print-kube-config",
            out.toString(),
            "--sources-path",
            sources);
    assertThat(printed.exitCode()).as(printed.toString()).isZero();
    assertThat(Files.readString(out.resolve("mutating-webhook-configuration.yaml")))
        .contains("pods");

    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    String pem =
        "-----BEGIN PUBLIC KEY-----\n      "
            + Base64.getEncoder().encodeToString(g.generateKeyPair().getPublic().getEncoded())
            + "\n      -----END PUBLIC KEY-----\n";
    Path verification =
        Files.writeString(
            dir.resolve("verification-" + UUID.randomUUID() + ".yml"),
            "apiVersion: v1\nallOf:\n- kind: pubKey\n  key: |\n      " + pem);
    Cli.Result refused =
        Cli.run(
            "serve",
            "-c",
            config.toString(),
            "--print-kube-config",
            dir.resolve("kube-" + UUID.randomUUID()).toString(),
            "--sources-path",
            sources,
            "--verification-config-path",
            verification.toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err())
        .contains(ref + ": signature verification failed: the module is not signed");
  }

  @Test
  void everyCommandTakingAModuleHasKwctlsRegistryFlags() {
    for (String command : new String[] {"run", "bench", "inspect", "pull", "push", "serve"}) {
      Cli.Result help = Cli.run(command, "--help");
      assertThat(help.out())
          .as(command)
          .contains(
              "--docker-config-json-path=FILE",
              "--sources-path=FILE",
              "--verification-config-path=FILE");
    }
  }

  @Test
  void benchAcceptsAReference() {
    String ref = fresh("v1");
    push(ref);
    Cli.Result r =
        Cli.run(
            "bench",
            ref,
            "-r",
            REQUEST,
            "--settings-path",
            SETTINGS,
            "--sources-path",
            sources,
            "--duration",
            "1s",
            "--warmup",
            "1s");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("module x-");
  }

  @Test
  void withVerificationOnlyACorrectlySignedModuleRuns() throws Exception {
    String ref = fresh("v1");
    String pushed = push(ref).out().trim();
    String digest = pushed.substring(pushed.lastIndexOf('@') + 1);
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = g.generateKeyPair();
    String pem =
        "-----BEGIN PUBLIC KEY-----\n      "
            + Base64.getEncoder().encodeToString(keys.getPublic().getEncoded())
            + "\n      -----END PUBLIC KEY-----\n";
    Path verification =
        Files.writeString(
            dir.resolve("verification-" + UUID.randomUUID() + ".yml"),
            "apiVersion: v1\nallOf:\n- kind: pubKey\n  owner: ci\n  key: |\n      " + pem);
    String[] run = {
      "run",
      ref,
      "-r",
      REQUEST,
      "--settings-path",
      SETTINGS,
      "--sources-path",
      sources,
      "--verification-config-path",
      verification.toString()
    };
    Cli.Result unsigned = Cli.run(run);
    assertThat(unsigned.exitCode()).isEqualTo(1);
    assertThat(unsigned.errLines())
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .startsWith(
                        "error: "
                            + ref
                            + ": signature verification failed: the module is not signed"));

    Signatures.sign(registry.address(), ref, digest, keys);
    Cli.Result signed = Cli.run(run);
    assertThat(signed.exitCode()).as(signed.toString()).isZero();
    assertThat(signed.json().path("response").path("allowed").asBoolean(true)).isFalse();

    Cli.Result pull =
        Cli.run(
            "pull",
            ref,
            "--sources-path",
            sources,
            "--verification-config-path",
            verification.toString());
    assertThat(pull.exitCode()).as(pull.toString()).isZero();
  }

  /** cosign-style signing for the CLI tests: payload, ECDSA signature, signature manifest. */
  static final class Signatures {
    static void sign(String registryAddress, String ref, String manifestDigest, KeyPair keys)
        throws Exception {
      String repo =
          ref.substring(("registry://" + registryAddress + "/").length(), ref.lastIndexOf(':'));
      String payload =
          "{\"critical\":{\"identity\":{\"docker-reference\":\""
              + registryAddress
              + "/"
              + repo
              + "\"},\"image\":{\"docker-manifest-digest\":\""
              + manifestDigest
              + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}";
      byte[] bytes = payload.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(keys.getPrivate());
      s.update(bytes);
      String sig = Base64.getEncoder().encodeToString(s.sign());
      var http = java.net.http.HttpClient.newHttpClient();
      String base = "http://" + registryAddress + "/v2/" + repo;
      String payloadDigest = upload(http, base, bytes);
      byte[] config = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      String configDigest = upload(http, base, config);
      String manifest =
          "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
              + configDigest
              + "\",\"size\":2},\"layers\":[{\"mediaType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"digest\":\""
              + payloadDigest
              + "\",\"size\":"
              + bytes.length
              + ",\"annotations\":{\"dev.cosignproject.cosign/signature\":\""
              + sig
              + "\"}}]}";
      var put =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(
                          base + "/manifests/sha256-" + manifestDigest.substring(7) + ".sig"))
                  .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                  .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(manifest))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    }

    static String upload(java.net.http.HttpClient http, String base, byte[] content)
        throws Exception {
      String digest =
          "sha256:"
              + java.util.HexFormat.of()
                  .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
      var start =
          http.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/blobs/uploads/"))
                  .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.discarding());
      String location = start.headers().firstValue("Location").orElseThrow();
      java.net.URI target = java.net.URI.create(base + "/blobs/uploads/").resolve(location);
      var done =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(
                          target
                              + (target.toString().contains("?") ? "&" : "?")
                              + "digest="
                              + digest))
                  .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(content))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.discarding());
      assertThat(done.statusCode()).isEqualTo(201);
      return digest;
    }
  }
}
