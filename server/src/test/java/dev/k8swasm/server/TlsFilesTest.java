package dev.k8swasm.server;

import static dev.k8swasm.server.Fixture.module;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.k8swasm.server.tls.Pem;
import dev.k8swasm.server.tls.SelfSigned;
import dev.k8swasm.server.tls.ServerTls;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM certificates and keys: PKCS#8, PKCS#1 and SEC1; RSA and EC; rotation while serving. */
class TlsFilesTest {
  @TempDir Path dir;

  // ----------------------------------------------------------- keys encoded here, read back

  @Test
  void readsPkcs1RsaKeys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    RSAPrivateCrtKey k = (RSAPrivateCrtKey) g.generateKeyPair().getPrivate();
    // RSAPrivateKey ::= SEQUENCE { version, n, e, d, p, q, dp, dq, qinv } (RFC 8017)
    byte[] pkcs1 =
        new org.bouncycastle.asn1.pkcs.RSAPrivateKey(
                k.getModulus(),
                k.getPublicExponent(),
                k.getPrivateExponent(),
                k.getPrimeP(),
                k.getPrimeQ(),
                k.getPrimeExponentP(),
                k.getPrimeExponentQ(),
                k.getCrtCoefficient())
            .getEncoded();
    PrivateKey read = Pem.privateKey(write("rsa1.key", Pem.encode("RSA PRIVATE KEY", pkcs1)));
    assertThat(read.getAlgorithm()).isEqualTo("RSA");
    assertThat(((RSAPrivateCrtKey) read).getPrivateExponent()).isEqualTo(k.getPrivateExponent());
    PrivateKey read8 = Pem.privateKey(write("rsa8.key", Pem.encode("PRIVATE KEY", k.getEncoded())));
    assertThat(read8.getEncoded()).isEqualTo(k.getEncoded());
  }

  @Test
  void readsSec1EcKeys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = g.generateKeyPair();
    ECPrivateKey k = (ECPrivateKey) kp.getPrivate();
    ECPublicKey pub = (ECPublicKey) kp.getPublic();
    byte[] point = new byte[65];
    point[0] = 4;
    System.arraycopy(fixed(pub.getW().getAffineX()), 0, point, 1, 32);
    System.arraycopy(fixed(pub.getW().getAffineY()), 0, point, 33, 32);
    org.bouncycastle.asn1.ASN1ObjectIdentifier p256 =
        new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.2.840.10045.3.1.7");
    byte[] curve = p256.getEncoded();
    // ECPrivateKey ::= SEQUENCE { version 1, privateKey, [0] parameters, [1] publicKey } (RFC 5915)
    byte[] sec1 =
        new org.bouncycastle.asn1.sec.ECPrivateKey(
                256, k.getS(), new org.bouncycastle.asn1.DERBitString(point), p256)
            .getEncoded();
    PrivateKey read = Pem.privateKey(write("ec.key", Pem.encode("EC PRIVATE KEY", sec1)));
    assertThat(((ECPrivateKey) read).getS()).isEqualTo(k.getS());
    // as OpenSSL writes it: an EC PARAMETERS block first, and a key without its own parameters
    byte[] bare = new org.bouncycastle.asn1.sec.ECPrivateKey(256, k.getS()).getEncoded();
    PrivateKey fromParams =
        Pem.privateKey(
            write(
                "ec2.key",
                Pem.encode("EC PARAMETERS", curve) + Pem.encode("EC PRIVATE KEY", bare)));
    assertThat(((ECPrivateKey) fromParams).getS()).isEqualTo(k.getS());
    assertThatThrownBy(() -> Pem.privateKey(write("ec3.key", Pem.encode("EC PRIVATE KEY", bare))))
        .hasMessageContaining("names no curve");
  }

  @Test
  void explainsUnusableFiles() throws Exception {
    SelfSigned.Pair a = SelfSigned.generate(java.util.Set.of("a"), Duration.ofDays(1));
    SelfSigned.Pair b = SelfSigned.generate(java.util.Set.of("b"), Duration.ofDays(1));
    Path certA = write("a.crt", Pem.encode(a.chain()));
    Path keyB = write("b.key", Pem.encode("PRIVATE KEY", b.key().getEncoded()));
    assertThatThrownBy(() -> ServerTls.KeyMaterial.read(certA, keyB))
        .hasMessageContaining("b.key")
        .hasMessageContaining("does not belong to the certificate");
    assertThatThrownBy(() -> Pem.privateKey(certA)).hasMessageContaining("no private key found");
    assertThatThrownBy(() -> Pem.certificates(keyB))
        .hasMessageContaining("no PEM CERTIFICATE block");
    assertThatThrownBy(
            () ->
                Pem.privateKey(write("enc.key", Pem.encode("ENCRYPTED PRIVATE KEY", new byte[8]))))
        .hasMessageContaining("encrypted");
    assertThatThrownBy(() -> Pem.certificates(dir.resolve("missing.crt")))
        .hasMessageContaining("file not found");
    assertThatThrownBy(
            () ->
                Pem.certificates(
                    write(
                        "bad.crt",
                        "-----BEGIN CERTIFICATE-----\nAAAA\n" + "-----END CERTIFICATE-----\n")))
        .hasMessageContaining("not a valid certificate");
  }

  // ------------------------------------------------------ OpenSSL-made files, served for real

  @Test
  void servesOpenSslRsaAndEcCertificatesWithEveryKeyForm() throws Exception {
    assumeTrue(openssl(), "openssl is not installed");
    openssl("genrsa", "-traditional", "-out", "rsa1.key", "2048");
    openssl("pkcs8", "-topk8", "-nocrypt", "-in", "rsa1.key", "-out", "rsa8.key");
    selfSigned("rsa8.key", "rsa.crt");
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "ec1.key");
    openssl("pkcs8", "-topk8", "-nocrypt", "-in", "ec1.key", "-out", "ec8.key");
    selfSigned("ec8.key", "ec.crt");
    assertThat(Files.readString(dir.resolve("rsa1.key"))).contains("BEGIN RSA PRIVATE KEY");
    assertThat(Files.readString(dir.resolve("ec1.key"))).contains("BEGIN EC PARAMETERS");
    Path config = config();
    for (String[] pair :
        List.of(
            new String[] {"rsa.crt", "rsa1.key", "RSA"},
            new String[] {"rsa.crt", "rsa8.key", "RSA"},
            new String[] {"ec.crt", "ec1.key", "EC"},
            new String[] {"ec.crt", "ec8.key", "EC"})) {
      Fixture.Flags flags = new Fixture.Flags();
      flags.tlsCert = dir.resolve(pair[0]);
      flags.tlsKey = dir.resolve(pair[1]);
      try (Fixture.Running s = Fixture.start(config, flags)) {
        X509Certificate cert = Pem.certificates(flags.tlsCert).get(0);
        HttpResponse<String> r = health(s, cert);
        assertThat(r.statusCode()).isEqualTo(200);
        SSLSession session = r.sslSession().orElseThrow();
        assertThat(session.getPeerCertificates()[0].getPublicKey().getAlgorithm())
            .isEqualTo(pair[2]);
        assertThat(session.getProtocol()).isIn("TLSv1.3", "TLSv1.2");
        assertThat(ServerTls.strong(session.getCipherSuite())).isTrue();
      }
    }
  }

  @Test
  void aRotatedCertificateIsServedToNewConnections() throws Exception {
    assumeTrue(openssl(), "openssl is not installed");
    openssl("genrsa", "-out", "rsa.key", "2048");
    selfSigned("rsa.key", "rsa.crt");
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.key");
    selfSigned("ec.key", "ec.crt");
    Path cert = Files.copy(dir.resolve("rsa.crt"), dir.resolve("tls/tls.crt"));
    Path key = Files.copy(dir.resolve("rsa.key"), dir.resolve("tls/tls.key"));
    Fixture.Flags flags = HotReloadTest.watching();
    flags.tlsCert = cert;
    flags.tlsKey = key;
    try (Fixture.Running s = Fixture.start(config(), flags)) {
      X509Certificate rsa = Pem.certificates(dir.resolve("rsa.crt")).get(0);
      X509Certificate ec = Pem.certificates(dir.resolve("ec.crt")).get(0);
      assertThat(health(s, rsa).statusCode()).isEqualTo(200);
      // cert-manager style: both files change
      Files.copy(dir.resolve("ec.key"), key, StandardCopyOption.REPLACE_EXISTING);
      Files.copy(dir.resolve("ec.crt"), cert, StandardCopyOption.REPLACE_EXISTING);
      HotReloadTest.awaitTrue(
          () -> s.metric("k8swasm_tls_reloads_total", "result", "success") >= 1,
          "the certificate is reloaded");
      HttpResponse<String> r = health(s, ec);
      assertThat(r.sslSession().orElseThrow().getPeerCertificates()[0]).isEqualTo(ec);
    }
  }

  @Test
  void aBrokenRotationKeepsTheCurrentCertificate() throws Exception {
    SelfSigned.Pair p =
        SelfSigned.generate(java.util.Set.of("localhost", "127.0.0.1"), Duration.ofDays(1));
    Path cert = write("tls.crt", Pem.encode(p.chain()));
    Path key = write("tls.key", Pem.encode("PRIVATE KEY", p.key().getEncoded()));
    Fixture.Flags flags = HotReloadTest.watching();
    flags.tlsCert = cert;
    flags.tlsKey = key;
    try (Fixture.Running s = Fixture.start(config(), flags)) {
      SelfSigned.Pair other = SelfSigned.generate(java.util.Set.of("x"), Duration.ofDays(1));
      Files.writeString(key, Pem.encode("PRIVATE KEY", other.key().getEncoded()));
      HotReloadTest.awaitTrue(
          () -> s.metric("k8swasm_tls_reloads_total", "result", "failure") >= 1,
          "the mismatched key is rejected");
      assertThat(health(s, p.ca()).statusCode()).isEqualTo(200);
    }
  }

  // ------------------------------------------------------------------------------ helpers

  private Path config() {
    return Fixture.write(
        dir.resolve("server.yaml"),
        "authorization:\n  modules:\n"
            + Fixture.moduleEntry("magic-authorizer", module("magic_authorizer.wasm")));
  }

  private static HttpResponse<String> health(Fixture.Running s, X509Certificate trust)
      throws Exception {
    HttpClient client = Fixture.client(List.of(trust), null, null);
    return client.send(
        HttpRequest.newBuilder(s.uri(WebhookServer.HEALTHZ)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  private static byte[] fixed(BigInteger v) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(32, b.length);
    System.arraycopy(b, b.length - n, out, 32 - n, n);
    return out;
  }

  private void selfSigned(String key, String cert) throws Exception {
    openssl(
        "req",
        "-x509",
        "-new",
        "-key",
        key,
        "-out",
        cert,
        "-days",
        "2",
        "-subj",
        "/O=k8s-wasm tests/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1",
        "-addext",
        "extendedKeyUsage=serverAuth");
    Files.createDirectories(dir.resolve("tls"));
  }

  private void openssl(String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = "openssl";
    System.arraycopy(args, 0, command, 1, args.length);
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Arrays.toString(command) + "\n" + out).isZero();
  }

  /** Whether an {@code openssl} command is available. */
  static boolean openssl() {
    try {
      Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
