package dev.k8swasm.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated CA and server certificate, checked by the JDK and (when installed) OpenSSL. */
class SelfSignedTest {

  @Test
  void derEncodingsAreThoseOfX690() {
    assertThat(HexFormat.of().formatHex(Der.oid("1.2.840.113549.1.1.1")))
        .isEqualTo("06092a864886f70d010101");
    assertThat(HexFormat.of().formatHex(Der.oid("2.5.29.17"))).isEqualTo("0603551d11");
    assertThat(HexFormat.of().formatHex(Der.tlv(Der.OCTET_STRING, new byte[200])).substring(0, 6))
        .isEqualTo("0481c8");
    assertThat(HexFormat.of().formatHex(Der.tlv(Der.OCTET_STRING, new byte[300])).substring(0, 8))
        .isEqualTo("0482012c");
    // keyCertSign(5) and cRLSign(6): 1 unused bit
    assertThat(HexFormat.of().formatHex(Der.namedBits(5, 6))).isEqualTo("03020106");
    assertThat(HexFormat.of().formatHex(Der.namedBits(0))).isEqualTo("03020780");
    assertThat(Der.read(Der.sequence(Der.integer(1), Der.nullValue())).children()).hasSize(2);
  }

  @Test
  void theCaSignsAServerCertificateForTheNames() throws Exception {
    Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1", "svc.ns.svc"));
    SelfSigned.Pair p = SelfSigned.generate(names, Duration.ofDays(365));
    X509Certificate ca = p.ca();
    X509Certificate leaf = p.certificate();
    ca.verify(ca.getPublicKey());
    leaf.verify(ca.getPublicKey());
    leaf.checkValidity();
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(leaf.getKeyUsage()[0]).as("digitalSignature").isTrue();
    assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(leaf.getSubjectAlternativeNames())
        .extracting(l -> l.get(1).toString())
        .contains("localhost", "127.0.0.1", "svc.ns.svc")
        .anySatisfy(n -> assertThat(n).matches("0:0:0:0:0:0:0:1|::1"));
    assertThat(leaf.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(300)));
    assertThat(leaf.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
    Pem.checkPair(p.key(), leaf, "generated");
  }

  @Test
  void openSslAcceptsItForTlsServers(@TempDir Path dir) throws Exception {
    assumeTrue(TlsFilesTest.openssl(), "openssl is not installed");
    SelfSigned.Pair p = SelfSigned.generate(Set.of("localhost", "127.0.0.1"), Duration.ofDays(1));
    Path ca = Files.writeString(dir.resolve("ca.pem"), Pem.encode(List.of(p.ca())));
    Path leaf = Files.writeString(dir.resolve("leaf.pem"), Pem.encode(List.of(p.certificate())));
    Process verify =
        new ProcessBuilder(
                "openssl",
                "verify",
                "-CAfile",
                ca.toString(),
                "-purpose",
                "sslserver",
                "-verify_hostname",
                "localhost",
                "-x509_strict",
                leaf.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(verify.getInputStream().readAllBytes());
    assertThat(verify.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(verify.exitValue()).as(out).isZero();
    assertThat(out).contains(": OK");
  }
}
