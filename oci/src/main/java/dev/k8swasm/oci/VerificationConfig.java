package dev.k8swasm.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * kwctl's {@code verification-config.yml}: signatures that {@code allOf} must all be present, and
 * {@code anyOf} of which at least {@code minimumMatches} (default 1) must be. Only {@code kind:
 * pubKey} is supported (cosign {@code sign --key}); keyless kinds ({@code githubAction}, {@code
 * genericIssuer}, {@code url}) need Fulcio and Rekor and are refused when the file is read.
 */
final class VerificationConfig {
  /** One required signature: a public key and annotations the signature must carry. */
  record Requirement(String name, PublicKey key, Map<String, String> annotations) {}

  private final Path file;
  private final List<Requirement> allOf;
  private final List<Requirement> anyOf;
  private final int minimumMatches;

  private VerificationConfig(
      Path file, List<Requirement> allOf, List<Requirement> anyOf, int minimumMatches) {
    this.file = file;
    this.allOf = allOf;
    this.anyOf = anyOf;
    this.minimumMatches = minimumMatches;
  }

  /**
   * Reads a verification config.
   *
   * @throws IllegalArgumentException naming the file, the entry and the problem
   */
  static VerificationConfig read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "verification config " + file + ": " + firstLine(e.getMessage()), e);
    }
    String at = "verification config " + file;
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(at + ": expected a mapping with allOf and/or anyOf");
    }
    String apiVersion = root.path("apiVersion").asText("v1");
    if (!apiVersion.equals("v1")) {
      throw new IllegalArgumentException(
          at + ": unsupported apiVersion '" + apiVersion + "' (expected v1)");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!List.of("apiVersion", "allOf", "anyOf").contains(key)) {
        throw new IllegalArgumentException(at + ": unknown field '" + key + "'");
      }
    }
    List<Requirement> allOf = requirements(root.path("allOf"), at + ": allOf");
    JsonNode any = root.path("anyOf");
    List<Requirement> anyOf = requirements(any.path("signatures"), at + ": anyOf.signatures");
    int minimum = any.path("minimumMatches").asInt(1);
    if (allOf.isEmpty() && anyOf.isEmpty()) {
      throw new IllegalArgumentException(
          at + ": no signatures required (give allOf and/or anyOf.signatures)");
    }
    if (!anyOf.isEmpty() && (minimum < 1 || minimum > anyOf.size())) {
      throw new IllegalArgumentException(
          at + ": anyOf.minimumMatches must be between 1 and " + anyOf.size() + ", not " + minimum);
    }
    return new VerificationConfig(file, allOf, anyOf, anyOf.isEmpty() ? 0 : minimum);
  }

  private static List<Requirement> requirements(JsonNode list, String at) {
    List<Requirement> out = new ArrayList<>();
    if (list.isMissingNode() || list.isNull()) {
      return out;
    }
    if (!list.isArray()) {
      throw new IllegalArgumentException(at + ": expected a list");
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode s = list.get(i);
      String where = at + "[" + i + "]";
      String kind = s.path("kind").asText("");
      if (!kind.equals("pubKey")) {
        throw new IllegalArgumentException(
            where
                + ": kind '"
                + kind
                + "' is not supported"
                + (List.of("githubAction", "genericIssuer", "url").contains(kind)
                    ? " (keyless signatures need the Sigstore Fulcio/Rekor services; only pubKey is supported)"
                    : " (use pubKey)"));
      }
      PublicKey key = publicKey(s.path("key").asText(""), where);
      Map<String, String> annotations = new LinkedHashMap<>();
      s.path("annotations")
          .fields()
          .forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
      String owner = s.path("owner").asText("");
      out.add(
          new Requirement(
              where + (owner.isEmpty() ? "" : " (" + owner + ")"), key, Map.copyOf(annotations)));
    }
    return out;
  }

  /** A PEM {@code PUBLIC KEY} (EC or RSA). */
  static PublicKey publicKey(String pem, String where) {
    String begin = "-----BEGIN PUBLIC KEY-----";
    String end = "-----END PUBLIC KEY-----";
    int b = pem.indexOf(begin);
    int e = pem.indexOf(end);
    if (b < 0 || e < b) {
      throw new IllegalArgumentException(
          where + ": 'key' is not a PEM public key (-----BEGIN PUBLIC KEY-----)");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e));
    } catch (IllegalArgumentException bad) {
      throw new IllegalArgumentException(where + ": 'key' is not valid base64");
    }
    for (String alg : List.of("EC", "RSA")) {
      try {
        return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException ignored) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException(where + ": 'key' is neither an EC nor an RSA public key");
  }

  Path file() {
    return file;
  }

  List<Requirement> allOf() {
    return allOf;
  }

  List<Requirement> anyOf() {
    return anyOf;
  }

  int minimumMatches() {
    return minimumMatches;
  }

  Optional<String> describe() {
    return Optional.of(file.toString());
  }

  private static String firstLine(String m) {
    String s = String.valueOf(m);
    int nl = s.indexOf('\n');
    return nl >= 0 ? s.substring(0, nl) : s;
  }
}
