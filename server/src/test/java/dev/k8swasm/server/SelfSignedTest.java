package dev.k8swasm.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.k8swasm.server.tls.Pem;
import dev.k8swasm.server.tls.SelfSigned;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated CA and server certificate, checked by the JDK and (when installed) OpenSSL. */
class SelfSignedTest {

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
