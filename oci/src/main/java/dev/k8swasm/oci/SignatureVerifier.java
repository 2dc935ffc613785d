package dev.k8swasm.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.k8swasm.source.ModuleSourceException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks cosign public-key signatures of a module's manifest against a {@link VerificationConfig}:
 * the signature manifest at tag {@code sha256-HEX.sig} in the same repository, each layer a
 * simple-signing payload ({@value MediaTypes#COSIGN_SIMPLE_SIGNING}) with its signature (base64) in
 * the layer annotation {@value #SIGNATURE_ANNOTATION}. A signature counts when it verifies with the
 * key, names the manifest's digest and carries the required annotations.
 */
final class SignatureVerifier {
  /** The layer annotation holding the base64 signature. */
  static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";

  private static final Logger LOG = LoggerFactory.getLogger(SignatureVerifier.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_PAYLOAD = 1L << 20;

  private final VerificationConfig config;
  private final RegistryClient client;

  SignatureVerifier(VerificationConfig config, RegistryClient client, OciOptions options) {
    this.config = config;
    this.client = client;
  }

  /** A signed payload: what it says and the signature over it. */
  private record Signed(byte[] payload, JsonNode document, byte[] signature) {}

  /**
   * Checks the signatures of {@code manifestDigest} in {@code ref}'s repository.
   *
   * @throws ModuleSourceException saying which requirement is not met
   */
  void verify(OciReference ref, String manifestDigest) {
    OciReference sigRef =
        ref.withTag("sha256-" + manifestDigest.substring("sha256:".length()) + ".sig");
    RegistryClient.Document doc;
    try {
      doc = client.manifest(sigRef, sigRef.tag().orElseThrow());
    } catch (ModuleSourceException e) {
      if (e.getMessage().contains("(404)")) {
        throw RegistryClient.fail(
            ref,
            "signature verification failed: the module is not signed (no "
                + sigRef.tag().orElseThrow()
                + " in "
                + ref.repository()
                + ")");
      }
      throw RegistryClient.fail(ref, "signature verification failed: " + e.getMessage(), e);
    }
    List<Signed> signatures = new ArrayList<>();
    try {
      JsonNode manifest = JSON.readTree(doc.body());
      for (JsonNode layer : manifest.path("layers")) {
        if (!MediaTypes.COSIGN_SIMPLE_SIGNING.equals(layer.path("mediaType").asText())) {
          continue;
        }
        String sig = layer.path("annotations").path(SIGNATURE_ANNOTATION).asText("");
        String digest = layer.path("digest").asText("");
        if (sig.isEmpty() || !digest.matches("sha256:[a-f0-9]{64}")) {
          continue;
        }
        byte[] payload = client.blob(sigRef, digest, layer.path("size").asLong(-1), MAX_PAYLOAD);
        byte[] signature;
        try {
          signature = Base64.getDecoder().decode(sig);
        } catch (IllegalArgumentException e) {
          continue;
        }
        signatures.add(new Signed(payload, JSON.readTree(payload), signature));
      }
    } catch (IOException e) {
      throw RegistryClient.fail(
          ref,
          "signature verification failed: unreadable signature manifest or payload: "
              + RegistryClient.describe(e),
          e);
    }
    for (VerificationConfig.Requirement r : config.allOf()) {
      if (!satisfied(r, signatures, manifestDigest)) {
        throw RegistryClient.fail(
            ref,
            "signature verification failed: no valid signature for "
                + manifestDigest
                + " by the key of allOf "
                + describe(r));
      }
    }
    if (!config.anyOf().isEmpty()) {
      long matches =
          config.anyOf().stream().filter(r -> satisfied(r, signatures, manifestDigest)).count();
      if (matches < config.minimumMatches()) {
        throw RegistryClient.fail(
            ref,
            "signature verification failed: "
                + matches
                + " of the anyOf signatures match, "
                + config.minimumMatches()
                + " required");
      }
    }
    LOG.info("{}: signatures of {} verified ({})", ref, manifestDigest, config.file());
  }

  private static String describe(VerificationConfig.Requirement r) {
    return r.name() + (r.annotations().isEmpty() ? "" : " with annotations " + r.annotations());
  }

  private static boolean satisfied(
      VerificationConfig.Requirement r, List<Signed> signatures, String manifestDigest) {
    for (Signed s : signatures) {
      if (!verifies(r.key(), s.payload(), s.signature())) {
        continue;
      }
      JsonNode critical = s.document().path("critical");
      if (!"cosign container image signature".equals(critical.path("type").asText())
          || !manifestDigest.equals(
              critical.path("image").path("docker-manifest-digest").asText())) {
        continue;
      }
      JsonNode optional = s.document().path("optional");
      boolean annotated = true;
      for (Map.Entry<String, String> want : r.annotations().entrySet()) {
        if (!want.getValue().equals(optional.path(want.getKey()).asText(null))) {
          annotated = false;
          break;
        }
      }
      if (annotated) {
        return true;
      }
    }
    return false;
  }

  private static boolean verifies(PublicKey key, byte[] payload, byte[] signature) {
    try {
      Signature v =
          Signature.getInstance(
              key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA");
      v.initVerify(key);
      v.update(payload);
      return v.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
