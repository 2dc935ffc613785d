package dev.k8swasm.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * kwctl's {@code sources.yml}: {@code insecure_sources} (registries reached over plain HTTP) and
 * {@code source_authorities} (per registry, extra CA certificates as {@code {type: Path, path:
 * ...}} or {@code {type: Data, data: PEM}}, trusted in addition to the JDK's).
 */
final class Sources {
  static final Sources NONE = new Sources(Set.of(), Map.of());

  private final Set<String> insecure;
  private final Map<String, List<X509Certificate>> authorities;

  private Sources(Set<String> insecure, Map<String, List<X509Certificate>> authorities) {
    this.insecure = insecure;
    this.authorities = authorities;
  }

  /**
   * Reads a sources file.
   *
   * @throws IllegalArgumentException naming the file and the problem
   */
  static Sources read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("sources file " + file + ": " + firstLine(e), e);
    }
    if (root == null || root.isNull() || root.isMissingNode()) {
      return NONE;
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException("sources file " + file + ": expected a mapping");
    }
    Set<String> insecure = new HashSet<>();
    for (JsonNode n : root.path("insecure_sources")) {
      insecure.add(n.asText());
    }
    Map<String, List<X509Certificate>> authorities = new HashMap<>();
    JsonNode auth = root.path("source_authorities");
    for (Iterator<Map.Entry<String, JsonNode>> it = auth.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      List<X509Certificate> certs = new ArrayList<>();
      for (JsonNode ca : e.getValue()) {
        String type = ca.path("type").asText();
        byte[] pem;
        try {
          pem =
              switch (type) {
                case "Path" ->
                    Files.readAllBytes(
                        file.toAbsolutePath().getParent().resolve(ca.path("path").asText()));
                case "Data" -> ca.path("data").asText().getBytes(StandardCharsets.US_ASCII);
                default ->
                    throw new IllegalArgumentException(
                        "sources file "
                            + file
                            + ": source_authorities."
                            + e.getKey()
                            + ": unknown type '"
                            + type
                            + "' (use Path or Data)");
              };
        } catch (IOException io) {
          throw new IllegalArgumentException(
              "sources file " + file + ": source_authorities." + e.getKey() + ": " + firstLine(io),
              io);
        }
        certs.addAll(certificates(pem, file + ": source_authorities." + e.getKey()));
      }
      authorities.put(e.getKey(), List.copyOf(certs));
    }
    return new Sources(Set.copyOf(insecure), Map.copyOf(authorities));
  }

  /** Whether {@code registry} ({@code HOST[:PORT]}) is reached over plain HTTP. */
  boolean insecure(String registry) {
    return insecure.contains(registry) || insecure.contains(hostOnly(registry));
  }

  /** An SSL context trusting the JDK's CAs and those configured for {@code registry}. */
  SSLContext sslContext(String registry) {
    List<X509Certificate> extra =
        authorities.getOrDefault(registry, authorities.get(hostOnly(registry)));
    try {
      if (extra == null || extra.isEmpty()) {
        return SSLContext.getDefault();
      }
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (X509Certificate c : extra) {
        ks.setCertificateEntry("source-authority-" + i++, c);
      }
      TrustManagerFactory jdk =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      jdk.init((KeyStore) null);
      for (TrustManager tm : jdk.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          for (X509Certificate c : x.getAcceptedIssuers()) {
            ks.setCertificateEntry("jdk-" + i++, c);
          }
        }
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(
          "cannot set up TLS for " + registry + ": " + e.getMessage(), e);
    }
  }

  private static List<X509Certificate> certificates(byte[] pem, String where) {
    try {
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem))) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException(where + ": no PEM certificate found");
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(where + ": not a PEM certificate: " + e.getMessage(), e);
    }
  }

  private static String hostOnly(String registry) {
    int colon = registry.lastIndexOf(':');
    return colon > 0 && !registry.endsWith("]") ? registry.substring(0, colon) : registry;
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl >= 0 ? m.substring(0, nl) : m;
  }
}
