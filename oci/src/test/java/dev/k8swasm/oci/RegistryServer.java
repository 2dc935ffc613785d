package dev.k8swasm.oci;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A real CNCF distribution registry (Debian's {@code docker-registry}) on a free loopback port,
 * started with a generated configuration: plain HTTP, or TLS with a generated CA and htpasswd
 * (bcrypt) basic authentication. Stop it with {@link #close()}.
 */
public final class RegistryServer implements AutoCloseable {
  /** Where Debian's package installs the registry. */
  public static final Path BINARY = Path.of("/usr/bin/docker-registry");

  private final Path dir;
  private final int port;
  private final Path caPem;
  private Process process;

  private RegistryServer(Path dir, int port, Path caPem) {
    this.dir = dir;
    this.port = port;
    this.caPem = caPem;
  }

  /** A plain-HTTP registry storing under {@code dir}. */
  public static RegistryServer plain(Path dir) throws Exception {
    RegistryServer r = new RegistryServer(dir, freePort(), null);
    r.writeConfig("");
    r.start();
    return r;
  }

  /**
   * A plain-HTTP registry that accepts only bearer tokens issued by {@code realm} for {@code
   * service}, signed by the key of the self-signed certificate {@code tokenCertPem}.
   */
  public static RegistryServer tokenAuth(Path dir, String realm, String service, Path tokenCertPem)
      throws Exception {
    RegistryServer r = new RegistryServer(dir, freePort(), null);
    r.writeConfig(
        "auth:\n  token:\n    realm: "
            + realm
            + "\n    service: "
            + service
            + "\n    issuer: k8s-wasm-test-issuer\n    rootcertbundle: "
            + tokenCertPem
            + "\n");
    r.start();
    return r;
  }

  /** A self-signed EC certificate for signing tokens, written as PEM to {@code pem}. */
  public static KeyPair tokenSigner(Path pem) throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(256);
    KeyPair keys = gen.generateKeyPair();
    Instant now = Instant.now();
    X500Name name = new X500Name("CN=k8s-wasm test token signer");
    JcaX509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.TEN,
            Date.from(now.minus(1, ChronoUnit.HOURS)),
            Date.from(now.plus(1, ChronoUnit.DAYS)),
            name,
            keys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    X509Certificate cert =
        new JcaX509CertificateConverter()
            .getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    Files.createDirectories(pem.getParent());
    Files.writeString(pem, pem(cert));
    Files.write(pem.resolveSibling(pem.getFileName() + ".der"), cert.getEncoded());
    return keys;
  }

  /** A TLS registry with basic authentication of {@code user}/{@code password}. */
  public static RegistryServer tls(Path dir, String user, String password) throws Exception {
    Files.createDirectories(dir);
    Path ca = dir.resolve("ca.pem");
    Path cert = dir.resolve("server.pem");
    Path key = dir.resolve("server-key.pem");
    certificates(ca, cert, key);
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    String hash = OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 5);
    Path htpasswd = Files.writeString(dir.resolve("htpasswd"), user + ":" + hash + "\n");
    RegistryServer r = new RegistryServer(dir, freePort(), ca);
    r.writeConfig(
        "  tls:\n    certificate: "
            + cert
            + "\n    key: "
            + key
            + "\nauth:\n  htpasswd:\n    realm: k8s-wasm-test\n    path: "
            + htpasswd
            + "\n");
    r.start();
    return r;
  }

  /** {@code 127.0.0.1:PORT}. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  /** The CA certificate (PEM) of a TLS registry. */
  public Path caPem() {
    return caPem;
  }

  /** Starts the registry (again, after {@link #stop()}) and waits until it accepts connections. */
  public void start() throws Exception {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(
          BINARY
              + " is missing: install Debian's docker-registry package (apt-get install -y docker-registry); .ci/run does");
    }
    process =
        new ProcessBuilder(BINARY.toString(), "serve", dir.resolve("config.yml").toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("registry.log").toFile()))
            .start();
    for (int i = 0; i < 300; i++) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException(
        "docker-registry did not listen on " + address() + " within 30 s");
  }

  /** Stops the registry; its storage stays. */
  public void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
      }
      process = null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private void writeConfig(String tlsAndAuth) throws IOException {
    Files.createDirectories(dir.resolve("data"));
    String config =
        "version: 0.1\n"
            + "log:\n  level: warn\n  accesslog:\n    disabled: true\n"
            + "storage:\n  filesystem:\n    rootdirectory: "
            + dir.resolve("data")
            + "\n  delete:\n    enabled: true\n"
            + "http:\n  addr: 127.0.0.1:"
            + port
            + "\n  secret: "
            + Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(16))
            + "\n"
            + tlsAndAuth;
    Files.writeString(dir.resolve("config.yml"), config);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A test CA and a server certificate for 127.0.0.1 it signed. */
  public record Pki(
      X509Certificate ca, X509Certificate server, java.security.PrivateKey serverKey) {}

  /** Makes a {@link Pki} and writes it as PEM files. */
  public static Pki certificates(Path caPem, Path certPem, Path keyPem) throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(256);
    KeyPair caKeys = gen.generateKeyPair();
    KeyPair serverKeys = gen.generateKeyPair();
    Instant now = Instant.now();
    Date from = Date.from(now.minus(1, ChronoUnit.HOURS));
    Date to = Date.from(now.plus(1, ChronoUnit.DAYS));
    X500Name caName = new X500Name("CN=k8s-wasm test CA");
    JcaX509v3CertificateBuilder ca =
        new JcaX509v3CertificateBuilder(
            caName, BigInteger.ONE, from, to, caName, caKeys.getPublic());
    ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    ca.addExtension(
        Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    X509Certificate caCert =
        new JcaX509CertificateConverter()
            .getCertificate(
                ca.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
    JcaX509v3CertificateBuilder server =
        new JcaX509v3CertificateBuilder(
            caName, BigInteger.TWO, from, to, new X500Name("CN=127.0.0.1"), serverKeys.getPublic());
    server.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
    server.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    X509Certificate serverCert =
        new JcaX509CertificateConverter()
            .getCertificate(
                server.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
    Files.writeString(caPem, pem(caCert));
    Files.writeString(certPem, pem(serverCert));
    Files.writeString(
        keyPem,
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(serverKeys.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n");
    return new Pki(caCert, serverCert, serverKeys.getPrivate());
  }

  static String pem(Object o) throws IOException {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      p.writeObject(o);
    }
    return w.toString();
  }

  /** A Docker config.json with {@code user}/{@code password} for {@code registry}. */
  public static Path dockerConfig(Path file, String registry, String user, String password)
      throws IOException {
    String auth =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return Files.writeString(
        file, "{\"auths\": {\"" + registry + "\": {\"auth\": \"" + auth + "\"}}}");
  }
}
