package dev.k8swasm.server;

import dev.k8swasm.server.tls.Pem;
import dev.k8swasm.server.tls.SelfSigned;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Certificate files for {@code serve --print-kube-config}. */
public final class SelfSignedFiles {
  /** The certificate chain written. */
  public static final String CERT = "tls.crt";

  /** The private key written (PKCS#8, readable by the owner only). */
  public static final String KEY = "tls.key";

  /** The CA written. */
  public static final String CA = "ca.crt";

  private SelfSignedFiles() {}

  /**
   * Generates a CA and a server certificate for {@code names} (plus localhost) into {@code dir}.
   *
   * @return the CA certificate, PEM
   */
  public static String generate(Set<String> names, Path dir) throws IOException {
    Set<String> all = new LinkedHashSet<>(names);
    all.addAll(SelfSigned.defaultNames());
    SelfSigned.Pair pair = SelfSigned.generate(all, Duration.ofDays(365));
    String ca = Pem.encode(List.of(pair.ca()));
    Files.writeString(dir.resolve(CERT), Pem.encode(pair.chain()));
    Path key = dir.resolve(KEY);
    Files.deleteIfExists(key);
    try {
      Files.createFile(
          key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(key);
    }
    Files.writeString(key, Pem.encode("PRIVATE KEY", pair.key().getEncoded()));
    Files.writeString(dir.resolve(CA), ca);
    return ca;
  }

  /** The names a certificate for {@code target} needs: the URL's host or the Service's names. */
  public static Set<String> namesFor(KubeConfigs.Target target) {
    Set<String> names = new LinkedHashSet<>();
    if (target instanceof KubeConfigs.Target.Service s) {
      names.add(s.name());
      names.add(s.name() + "." + s.namespace());
      names.add(s.name() + "." + s.namespace() + ".svc");
      names.add(s.name() + "." + s.namespace() + ".svc.cluster.local");
    } else if (target instanceof KubeConfigs.Target.Url u) {
      String host = URI.create(u.base()).getHost();
      if (host != null) {
        names.add(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
      }
    }
    return names;
  }

  /** The certificates of a PEM file, re-encoded (validated). */
  public static String readCertificatesPem(Path file) {
    return Pem.encode(Pem.certificates(file));
  }

  /** The last certificate of a PEM chain: the CA when the chain includes it. */
  public static String lastCertificatePem(Path file) {
    List<X509Certificate> chain = Pem.certificates(file);
    return Pem.encode(List.of(chain.get(chain.size() - 1)));
  }
}
