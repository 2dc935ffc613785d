package dev.k8swasm.server.tls;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Generates a throw-away certificate authority and a certificate signed by it, for trying the
 * server out without a certificate (and for tests), with BouncyCastle: no external {@code keytool}
 * process and no temporary key store files (the container's root file system is read-only).
 *
 * <p>Keys are ECDSA P-256. The CA has {@code basicConstraints CA:true} and {@code keyCertSign}; the
 * certificate has the subject alternative names given (DNS names and IP addresses) and {@code
 * serverAuth} (or {@code clientAuth}).
 */
public final class SelfSigned {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private SelfSigned() {}

  /**
   * A generated pair: the CA (to trust) and the key and certificate it signed.
   *
   * @param ca the CA certificate
   * @param caKey the CA's private key
   * @param certificate the certificate signed by the CA
   * @param key the private key of {@code certificate}
   */
  public record Pair(
      X509Certificate ca, PrivateKey caKey, X509Certificate certificate, PrivateKey key) {
    /** The chain to serve: the certificate, then the CA. */
    public List<X509Certificate> chain() {
      return List.of(certificate, ca);
    }
  }

  /** The names a generated certificate always carries: localhost, its addresses, $HOSTNAME. */
  public static Set<String> defaultNames() {
    Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
    String host = System.getenv("HOSTNAME");
    if (host != null && !host.isBlank()) {
      names.add(host.trim());
    }
    return names;
  }

  /** A new CA and a server certificate for {@code names} (DNS names or IP addresses). */
  public static Pair generate(Set<String> names, Duration validity) {
    return generate(names, validity, false);
  }

  /**
   * A new CA and a certificate for {@code names}; {@code client} makes it a client certificate (for
   * tests of mutual TLS) instead of a server certificate.
   */
  public static Pair generate(Set<String> names, Duration validity, boolean client) {
    try {
      KeyPair caKeys = ecKeyPair();
      KeyPair keys = ecKeyPair();
      Instant now = Instant.now();
      Date from = Date.from(now.minus(Duration.ofHours(1)));
      Date until = Date.from(now.plus(validity));
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X500Name caName = name("k8s-wasm self-signed CA " + now.getEpochSecond());
      X509v3CertificateBuilder ca =
          new JcaX509v3CertificateBuilder(caName, serial(), from, until, caName, caKeys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(caKeys.getPublic()));
      X509Certificate caCert = sign(ca, caKeys.getPrivate());

      String subject = names.isEmpty() ? "k8s-wasm" : names.iterator().next();
      X509v3CertificateBuilder leaf =
          new JcaX509v3CertificateBuilder(
                  caName, serial(), from, until, name(subject), keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(
                      client ? KeyPurposeId.id_kp_clientAuth : KeyPurposeId.id_kp_serverAuth))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(keys.getPublic()))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  ext.createAuthorityKeyIdentifier(caCert));
      if (!names.isEmpty()) {
        leaf.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(names));
      }
      return new Pair(
          caCert, caKeys.getPrivate(), sign(leaf, caKeys.getPrivate()), keys.getPrivate());
    } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot generate a self-signed certificate: " + e, e);
    }
  }

  private static KeyPair ecKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  /** A random positive 127-bit serial number. */
  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).setBit(120);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
  }

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "k8s-wasm")
        .addRDN(BCStyle.CN, commonName)
        .build();
  }

  private static GeneralNames subjectAltNames(Set<String> names) {
    List<GeneralName> out = new ArrayList<>();
    for (String n : names) {
      byte[] ip = ipAddress(n);
      out.add(
          ip != null
              ? new GeneralName(GeneralName.iPAddress, new DEROctetString(ip))
              : new GeneralName(GeneralName.dNSName, n));
    }
    return new GeneralNames(out.toArray(GeneralName[]::new));
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
}
