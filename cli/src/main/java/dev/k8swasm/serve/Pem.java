package dev.k8swasm.serve;

import java.io.ByteArrayInputStream;
import java.io.IOException;
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
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM files with JDK APIs only: certificate chains, and private keys in PKCS#8 ({@code
 * PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}) form. PKCS#1 and
 * SEC1 keys are wrapped into PKCS#8 DER, which the JDK's {@link KeyFactory} reads.
 */
final class Pem {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)-----END \\1-----", Pattern.DOTALL);

  static final String RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
  static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";
  static final String ED25519 = "1.3.101.112";
  static final String ED448 = "1.3.101.113";
  static final String RSASSA_PSS = "1.2.840.113549.1.1.10";

  private Pem() {}

  /** One PEM block: its label ({@code CERTIFICATE}, {@code PRIVATE KEY}...) and DER bytes. */
  record Block(String type, byte[] der) {}

  /** The blocks of {@code text}; {@code source} names it in messages. */
  static List<Block> blocks(String text, String source) {
    List<Block> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String body = m.group(2);
      if (body.contains("Proc-Type:") || body.contains("DEK-Info:")) {
        throw new IllegalArgumentException(
            source
                + ": the "
                + m.group(1)
                + " is encrypted; give an unencrypted key (e.g. openssl pkey -in key.pem -out"
                + " plain.pem)");
      }
      try {
        blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(body.trim())));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            source + ": the " + m.group(1) + " block is not valid base64");
      }
    }
    return blocks;
  }

  /** Reads the certificates of a PEM file, leaf first as written. */
  static List<X509Certificate> certificates(Path file) {
    List<X509Certificate> certs = new ArrayList<>();
    for (Block b : blocks(read(file), file.toString())) {
      if (b.type().equals("CERTIFICATE")) {
        certs.add(certificate(b.der(), file.toString()));
      }
    }
    if (certs.isEmpty()) {
      throw new IllegalArgumentException(file + ": no PEM CERTIFICATE block found");
    }
    return certs;
  }

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
  static PrivateKey privateKey(Path file) {
    String source = file.toString();
    List<Block> blocks = blocks(read(file), source);
    byte[] ecParameters = null;
    for (Block b : blocks) {
      switch (b.type()) {
        case "EC PARAMETERS" -> ecParameters = b.der();
        case "PRIVATE KEY" -> {
          return fromPkcs8(b.der(), source);
        }
        case "RSA PRIVATE KEY" -> {
          byte[] pkcs8 =
              Der.sequence(
                  Der.integer(0),
                  Der.sequence(Der.oid(RSA_ENCRYPTION), Der.nullValue()),
                  Der.octetString(b.der()));
          return generate("RSA", pkcs8, source);
        }
        case "EC PRIVATE KEY" -> {
          return generate("EC", wrapSec1(b.der(), ecParameters, source), source);
        }
        case "ENCRYPTED PRIVATE KEY" ->
            throw new IllegalArgumentException(
                source
                    + ": the private key is encrypted; give an unencrypted key (e.g. openssl pkey"
                    + " -in key.pem -out plain.pem)");
        default -> {
          // CERTIFICATE blocks etc. may share the file
        }
      }
    }
    throw new IllegalArgumentException(
        source
            + ": no private key found (expected a PEM block 'PRIVATE KEY', 'RSA PRIVATE KEY' or"
            + " 'EC PRIVATE KEY')");
  }

  /** SEC1 (RFC 5915) into PKCS#8: the curve comes from the key's own parameters. */
  private static byte[] wrapSec1(byte[] sec1, byte[] separateParameters, String source) {
    byte[] curve = separateParameters;
    try {
      for (Der.Element e : Der.read(sec1).children()) {
        if (e.tag() == 0xa0) {
          curve = e.content();
        }
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": malformed EC PRIVATE KEY: " + e.getMessage());
    }
    if (curve == null) {
      throw new IllegalArgumentException(
          source + ": the EC PRIVATE KEY names no curve (its parameters are missing)");
    }
    return Der.sequence(
        Der.integer(0), Der.sequence(Der.oid(EC_PUBLIC_KEY), curve), Der.octetString(sec1));
  }

  private static PrivateKey fromPkcs8(byte[] der, String source) {
    String algorithm;
    try {
      List<Der.Element> fields = Der.read(der).children();
      byte[] oid = fields.get(1).children().get(0).encoded();
      algorithm = algorithmOf(oid);
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException(source + ": malformed PKCS#8 private key");
    }
    if (algorithm == null) {
      throw new IllegalArgumentException(
          source + ": unsupported private key algorithm (use RSA, EC or Ed25519)");
    }
    return generate(algorithm, der, source);
  }

  private static String algorithmOf(byte[] encodedOid) {
    if (Arrays.equals(encodedOid, Der.oid(RSA_ENCRYPTION))) {
      return "RSA";
    }
    if (Arrays.equals(encodedOid, Der.oid(EC_PUBLIC_KEY))) {
      return "EC";
    }
    if (Arrays.equals(encodedOid, Der.oid(ED25519)) || Arrays.equals(encodedOid, Der.oid(ED448))) {
      return "EdDSA";
    }
    if (Arrays.equals(encodedOid, Der.oid(RSASSA_PSS))) {
      return "RSASSA-PSS";
    }
    return null;
  }

  private static PrivateKey generate(String algorithm, byte[] pkcs8, String source) {
    try {
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          source + ": not a valid " + algorithm + " private key: " + e.getMessage());
    }
  }

  /**
   * Checks that {@code key} belongs to {@code certificate}.
   *
   * @throws IllegalArgumentException when it does not
   */
  static void checkPair(PrivateKey key, X509Certificate certificate, String keySource) {
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

  /** PEM text of one block, 64 characters a line. */
  static String encode(String type, byte[] der) {
    String base64 =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
  }

  /** PEM text of certificates. */
  static String encode(List<X509Certificate> certificates) {
    StringBuilder s = new StringBuilder();
    for (X509Certificate c : certificates) {
      try {
        s.append(encode("CERTIFICATE", c.getEncoded()));
      } catch (java.security.cert.CertificateEncodingException e) {
        throw new IllegalStateException(e);
      }
    }
    return s.toString();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": file not found");
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage());
    }
  }
}
