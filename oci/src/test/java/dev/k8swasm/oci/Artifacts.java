package dev.k8swasm.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;

/** Writes artifacts of any shape to a registry, for tests: odd manifests, indexes, signatures. */
final class Artifacts {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path POLICY = Path.of("../examples/modules/kubewarden/policy_wapc_start.wasm");

  private final RegistryClient client;
  private final Path tmp;

  Artifacts(OciOptions options, Path sourcesFile, Path tmp) {
    this.client =
        new RegistryClient(options, sourcesFile == null ? Sources.NONE : Sources.read(sourcesFile));
    this.tmp = tmp;
  }

  /** Uploads {@code content}; its digest. */
  String blob(OciReference ref, byte[] content) throws Exception {
    Path f = Files.createTempFile(tmp, "blob", ".bin");
    Files.write(f, content);
    String digest = RegistryClient.Digests.sha256(content);
    client.pushBlob(ref, f, digest);
    return digest;
  }

  /**
   * A manifest with one layer of {@code layerType} holding {@code layer}, declared {@code
   * declaredSize}.
   */
  String manifest(
      OciReference ref,
      String tag,
      String layerType,
      byte[] layer,
      long declaredSize,
      Map<String, String> annotations)
      throws Exception {
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    ObjectNode m = JSON.createObjectNode();
    m.put("schemaVersion", 2);
    m.put("mediaType", MediaTypes.OCI_MANIFEST);
    ObjectNode c = m.putObject("config");
    c.put("mediaType", MediaTypes.WASM_CONFIG);
    c.put("digest", blob(ref, config));
    c.put("size", config.length);
    ObjectNode l = m.putArray("layers").addObject();
    l.put("mediaType", layerType);
    l.put("digest", blob(ref, layer));
    l.put("size", declaredSize);
    if (!annotations.isEmpty()) {
      ObjectNode a = m.putObject("annotations");
      annotations.forEach(a::put);
    }
    return client.pushManifest(ref, tag, JSON.writeValueAsBytes(m), MediaTypes.OCI_MANIFEST);
  }

  /** An index at {@code tag} pointing at the manifest {@code digest}. */
  String index(OciReference ref, String tag, String digest, long size) throws Exception {
    ObjectNode i = JSON.createObjectNode();
    i.put("schemaVersion", 2);
    i.put("mediaType", MediaTypes.OCI_INDEX);
    ObjectNode d = i.putArray("manifests").addObject();
    d.put("mediaType", MediaTypes.OCI_MANIFEST);
    d.put("digest", digest);
    d.put("size", size);
    d.putObject("platform").put("architecture", "wasm").put("os", "wasip1");
    return client.pushManifest(ref, tag, JSON.writeValueAsBytes(i), MediaTypes.OCI_INDEX);
  }

  /** The bytes of the manifest {@code reference}. */
  byte[] manifestBytes(OciReference ref, String reference) {
    return client.manifest(ref, reference).body();
  }

  /**
   * Signs {@code manifestDigest} of {@code ref}'s repository the way {@code cosign sign --key}
   * does: a simple-signing payload layer at tag {@code sha256-HEX.sig} with the ECDSA signature in
   * its annotation.
   */
  void sign(OciReference ref, String manifestDigest, KeyPair keys, Map<String, String> annotations)
      throws Exception {
    ObjectNode payload = JSON.createObjectNode();
    ObjectNode critical = payload.putObject("critical");
    critical.putObject("identity").put("docker-reference", ref.repositoryName());
    critical.putObject("image").put("docker-manifest-digest", manifestDigest);
    critical.put("type", "cosign container image signature");
    ObjectNode optional = payload.putObject("optional");
    annotations.forEach(optional::put);
    byte[] bytes = JSON.writeValueAsBytes(payload);
    String signature = Base64.getEncoder().encodeToString(sign(keys.getPrivate(), bytes));
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    ObjectNode m = JSON.createObjectNode();
    m.put("schemaVersion", 2);
    m.put("mediaType", MediaTypes.OCI_MANIFEST);
    ObjectNode c = m.putObject("config");
    c.put("mediaType", "application/vnd.oci.image.config.v1+json");
    c.put("digest", blob(ref, config));
    c.put("size", config.length);
    ObjectNode l = m.putArray("layers").addObject();
    l.put("mediaType", MediaTypes.COSIGN_SIMPLE_SIGNING);
    l.put("digest", blob(ref, bytes));
    l.put("size", bytes.length);
    l.putObject("annotations").put(SignatureVerifier.SIGNATURE_ANNOTATION, signature);
    String tag = "sha256-" + manifestDigest.substring("sha256:".length()) + ".sig";
    client.pushManifest(ref, tag, JSON.writeValueAsBytes(m), MediaTypes.OCI_MANIFEST);
  }

  static byte[] sign(PrivateKey key, byte[] data) throws Exception {
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(key);
    s.update(data);
    return s.sign();
  }

  /** A verification-config.yml requiring a signature by {@code keys} with {@code annotations}. */
  static Path verificationConfig(Path file, KeyPair keys, Map<String, String> annotations)
      throws Exception {
    StringBuilder y =
        new StringBuilder("apiVersion: v1\nallOf:\n- kind: pubKey\n  owner: tests\n  key: |\n");
    for (String line : RegistryServer.pem(keys.getPublic()).split("\n")) {
      y.append("    ").append(line).append('\n');
    }
    if (!annotations.isEmpty()) {
      y.append("  annotations:\n");
      annotations.forEach((k, v) -> y.append("    ").append(k).append(": ").append(v).append('\n'));
    }
    return Files.writeString(file, y.toString());
  }
}
