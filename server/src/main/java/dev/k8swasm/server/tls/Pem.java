package dev.k8swasm.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.util.io.pem.PemHeader;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Reads and writes PEM files with BouncyCastle: certificate chains, and private keys in PKCS#8
 * ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}, with the
 * curve in the key or in a preceding {@code EC PARAMETERS} block, as OpenSSL writes it). Errors
 * name the file and say what to do.
 */
public final class Pem {
  private static final Map<ASN1ObjectIdentifier, String> KEY_ALGORITHMS =
      Map.of(
          PKCSObjectIdentifiers.rsaEncryption, "RSA",
          PKCSObjectIdentifiers.id_RSASSA_PSS, "RSASSA-PSS",
          X9ObjectIdentifiers.id_ecPublicKey, "EC",
          EdECObjectIdentifiers.id_Ed25519, "EdDSA",
          EdECObjectIdentifiers.id_Ed448, "EdDSA");

  private Pem() {}

  /** Reads the certificates of a PEM file, leaf first as written. */
  public static List<X509Certificate> certificates(Path file) {
    List<X509Certificate> certs = new ArrayList<>();
    for (PemObject b : blocks(file)) {
      if (b.getType().equals("CERTIFICATE")) {
        certs.add(certificate(b.getContent(), file.toString()));
      }
    }
    if (certs.isEmpty()) {
      throw new IllegalArgumentException(file + ": no PEM CERTIFICATE block found");
    }
    return certs;
  }

  /** A DER certificate; {@code source} names it in messages. */
  static X509Certificate certificate(byte[] der, String source) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new IllegalArgumentException(source + ": not a valid certificate: " + e.getMessage());
    }
  }

  /** Reads the private key of a PEM file (PKCS#8, PKCS#1 RSA or SEC1 EC; RSA, EC or EdDSA). */
  public static PrivateKey privateKey(Path file) {
    String source = file.toString();
    ASN1Encodable curve = null;
    for (PemObject b : blocks(file)) {
      if (b.getHeaders().stream().anyMatch(h -> "Proc-Type".equals(((PemHeader) h).getName()))) {
        throw encrypted(source);
      }
      try {
        switch (b.getType()) {
          case "EC PARAMETERS" -> curve = ASN1Primitive.fromByteArray(b.getContent());
          case "PRIVATE KEY" -> {
            return toKey(PrivateKeyInfo.getInstance(b.getContent()), source);
          }
          case "RSA PRIVATE KEY" -> {
            return toKey(
                new PrivateKeyInfo(
                    new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                    RSAPrivateKey.getInstance(b.getContent())),
                source);
          }
          case "EC PRIVATE KEY" -> {
            ECPrivateKey key = ECPrivateKey.getInstance(b.getContent());
            ASN1Encodable params =
                key.getParametersObject() != null ? key.getParametersObject() : curve;
            if (params == null) {
              throw new IllegalArgumentException(
                  source + ": the EC PRIVATE KEY names no curve (its parameters are missing)");
            }
            return toKey(
                new PrivateKeyInfo(
                    new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, params), key),
                source);
          }
          case "ENCRYPTED PRIVATE KEY" -> throw encrypted(source);
          default -> {
            // CERTIFICATE blocks etc. may share the file
          }
        }
      } catch (IOException | RuntimeException e) {
        if (e instanceof IllegalArgumentException i && i.getMessage().startsWith(source)) {
          throw i;
        }
        throw new IllegalArgumentException(
            source + ": malformed " + b.getType() + ": " + e.getMessage());
      }
    }
    throw new IllegalArgumentException(
        source
            + ": no private key found (expected a PEM block 'PRIVATE KEY', 'RSA PRIVATE KEY' or"
            + " 'EC PRIVATE KEY')");
  }

  private static IllegalArgumentException encrypted(String source) {
    return new IllegalArgumentException(
        source
            + ": the private key is encrypted; give an unencrypted key (e.g. openssl pkey -in"
            + " key.pem -out plain.pem)");
  }

  private static PrivateKey toKey(PrivateKeyInfo info, String source) throws IOException {
    String algorithm = KEY_ALGORITHMS.get(info.getPrivateKeyAlgorithm().getAlgorithm());
    if (algorithm == null) {
      throw new IllegalArgumentException(
          source + ": unsupported private key algorithm (use RSA, EC or Ed25519)");
    }
    try {
      return KeyFactory.getInstance(algorithm)
          .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          source + ": not a valid " + algorithm + " private key: " + e.getMessage());
    }
  }

  /**
   * Checks that {@code key} belongs to {@code certificate}.
   *
   * @throws IllegalArgumentException naming {@code keySource} when it does not
   */
  public static void checkPair(PrivateKey key, X509Certificate certificate, String keySource) {
    PublicKey pub = certificate.getPublicKey();
    if (!key.getAlgorithm().equals(pub.getAlgorithm())) {
      throw new IllegalArgumentException(
          keySource
              + ": the "
              + key.getAlgorithm()
              + " private key does not belong to the certificate (whose key is "
              + pub.getAlgorithm()
              + ")");
    }
    boolean matches;
    if (key instanceof RSAPrivateCrtKey k && pub instanceof RSAPublicKey p) {
      matches = k.getModulus().equals(p.getModulus());
    } else {
      String algorithm =
          switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> key.getAlgorithm();
            default -> null;
          };
      if (algorithm == null) {
        return;
      }
      try {
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        Signature s = Signature.getInstance(algorithm);
        s.initSign(key);
        s.update(probe);
        byte[] signature = s.sign();
        s.initVerify(pub);
        s.update(probe);
        matches = s.verify(signature);
      } catch (GeneralSecurityException e) {
        matches = false;
      }
    }
    if (!matches) {
      throw new IllegalArgumentException(
          keySource + ": the private key does not belong to the certificate");
    }
  }

  /** PEM text of one block. */
  public static String encode(String type, byte[] der) {
    StringWriter out = new StringWriter();
    try (PemWriter w = new PemWriter(out)) {
      w.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** PEM text of certificates. */
  public static String encode(List<X509Certificate> certificates) {
    StringBuilder s = new StringBuilder();
    for (X509Certificate c : certificates) {
      try {
        s.append(encode("CERTIFICATE", c.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException(e);
      }
    }
    return s.toString();
  }

  private static List<PemObject> blocks(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": file not found");
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage());
    }
    List<PemObject> blocks = new ArrayList<>();
    try (PemReader r = new PemReader(new StringReader(text))) {
      PemObject o;
      while ((o = r.readPemObject()) != null) {
        blocks.add(o);
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(file + ": not a valid PEM file: " + e.getMessage());
    }
    return blocks;
  }
}
