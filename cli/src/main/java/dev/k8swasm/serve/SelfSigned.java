package dev.k8swasm.serve;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Generates a throw-away certificate authority and a server certificate signed by it, for trying
 * the server out without a certificate. The JDK has no public API for making certificates, so the
 * DER is written here (see {@link Der}) and signed with {@link Signature}: no external {@code
 * keytool} process, no temporary key store files (the container's root file system is read-only),
 * and it works on any JRE.
 *
 * <p>Keys are ECDSA P-256. The CA has {@code basicConstraints CA:true} and {@code keyCertSign}; the
 * server certificate has the subject alternative names given (DNS names and IP addresses), {@code
 * serverAuth}, and is valid for one year.
 */
final class SelfSigned {
  private static final String SHA256_WITH_ECDSA = "1.2.840.10045.4.3.2";
  private static final String COMMON_NAME = "2.5.4.3";
  private static final String ORGANIZATION = "2.5.4.10";
  private static final String BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String KEY_USAGE = "2.5.29.15";
  private static final String EXT_KEY_USAGE = "2.5.29.37";
  private static final String SUBJECT_ALT_NAME = "2.5.29.17";
  private static final String SUBJECT_KEY_ID = "2.5.29.14";
  private static final String AUTHORITY_KEY_ID = "2.5.29.35";
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private static final SecureRandom RANDOM = new SecureRandom();

  private SelfSigned() {}

  /** A generated pair: the CA (to trust) and the server's key and certificate. */
  record Pair(X509Certificate ca, PrivateKey caKey, X509Certificate certificate, PrivateKey key) {
    /** The server's chain: its certificate, then the CA. */
    List<X509Certificate> chain() {
      return List.of(certificate, ca);
    }
  }

  /** The names a generated certificate always carries. */
  static Set<String> defaultNames() {
    Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
    String host = System.getenv("HOSTNAME");
    if (host != null && !host.isBlank()) {
      names.add(host.trim());
    }
    return names;
  }

  /** A new CA and a server certificate for {@code names} (DNS names or IP addresses). */
  static Pair generate(Set<String> names, Duration validity) {
    return generate(names, validity, false);
  }

  /**
   * A new CA and a certificate for {@code names}; {@code client} makes it a client certificate (for
   * tests of mutual TLS) instead of a server certificate.
   */
  static Pair generate(Set<String> names, Duration validity, boolean client) {
    try {
      KeyPair caKeys = ecKeyPair();
      KeyPair keys = ecKeyPair();
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
      ZonedDateTime from = now.minusHours(1);
      ZonedDateTime until = now.plus(validity);
      byte[] caName = name("k8s-wasm self-signed CA " + now.toEpochSecond());
      byte[] caKeyId = keyId(caKeys.getPublic());
      byte[] caTbs =
          tbs(
              caName,
              caName,
              from,
              until,
              caKeys.getPublic(),
              List.of(
                  extension(BASIC_CONSTRAINTS, true, Der.sequence(Der.bool(true))),
                  // digitalSignature(0), keyCertSign(5), cRLSign(6)
                  extension(KEY_USAGE, true, Der.namedBits(0, 5, 6)),
                  extension(SUBJECT_KEY_ID, false, Der.octetString(caKeyId))));
      X509Certificate ca = sign(caTbs, caKeys.getPrivate());

      String subjectName = names.isEmpty() ? "k8s-wasm" : names.iterator().next();
      List<byte[]> extensions = new ArrayList<>();
      extensions.add(extension(BASIC_CONSTRAINTS, true, Der.sequence()));
      extensions.add(extension(KEY_USAGE, true, Der.namedBits(0)));
      extensions.add(
          extension(
              EXT_KEY_USAGE, false, Der.sequence(Der.oid(client ? CLIENT_AUTH : SERVER_AUTH))));
      if (!names.isEmpty()) {
        extensions.add(extension(SUBJECT_ALT_NAME, false, subjectAltNames(names)));
      }
      extensions.add(extension(SUBJECT_KEY_ID, false, Der.octetString(keyId(keys.getPublic()))));
      extensions.add(extension(AUTHORITY_KEY_ID, false, Der.sequence(Der.implicit(0, caKeyId))));
      byte[] tbs = tbs(caName, name(subjectName), from, until, keys.getPublic(), extensions);
      X509Certificate certificate = sign(tbs, caKeys.getPrivate());
      return new Pair(ca, caKeys.getPrivate(), certificate, keys.getPrivate());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a self-signed certificate: " + e, e);
    }
  }

  private static KeyPair ecKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static byte[] tbs(
      byte[] issuer,
      byte[] subject,
      ZonedDateTime from,
      ZonedDateTime until,
      PublicKey publicKey,
      List<byte[]> extensions) {
    byte[] serial = new byte[16];
    RANDOM.nextBytes(serial);
    serial[0] &= 0x7f; // positive
    serial[0] |= 0x01; // and not starting with a zero byte
    return Der.sequence(
        Der.explicit(0, Der.integer(2)), // v3
        Der.integer(new BigInteger(serial)),
        Der.sequence(Der.oid(SHA256_WITH_ECDSA)),
        issuer,
        Der.sequence(Der.time(from), Der.time(until)),
        subject,
        publicKey.getEncoded(), // SubjectPublicKeyInfo, already DER
        Der.explicit(3, Der.sequence(extensions.toArray(byte[][]::new))));
  }

  private static X509Certificate sign(byte[] tbs, PrivateKey key) throws GeneralSecurityException {
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(key, RANDOM);
    s.update(tbs);
    byte[] der =
        Der.sequence(tbs, Der.sequence(Der.oid(SHA256_WITH_ECDSA)), Der.bitString(s.sign()));
    return Pem.certificate(der, "generated certificate");
  }

  private static byte[] name(String commonName) {
    return Der.sequence(
        Der.set(Der.sequence(Der.oid(ORGANIZATION), Der.utf8("k8s-wasm"))),
        Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8(commonName))));
  }

  private static byte[] extension(String oid, boolean critical, byte[] value) {
    return critical
        ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
        : Der.sequence(Der.oid(oid), Der.octetString(value));
  }

  private static byte[] subjectAltNames(Set<String> names) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String n : names) {
      byte[] ip = ipAddress(n);
      // GeneralName: dNSName [2] IA5String, iPAddress [7] OCTET STRING
      out.writeBytes(
          ip != null
              ? Der.implicit(7, ip)
              : Der.implicit(2, n.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }
    return Der.tlv(Der.SEQUENCE, out.toByteArray());
  }

  /** The address bytes when {@code name} is an IP literal, else null (no DNS lookups). */
  static byte[] ipAddress(String name) {
    if (!IPV4.matcher(name).matches() && !name.contains(":")) {
      return null;
    }
    try {
      return InetAddress.getByName(name).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + name);
    }
  }

  private static byte[] keyId(PublicKey key) throws GeneralSecurityException {
    byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(key.getEncoded());
    return sha1;
  }
}
