package dev.k8swasm.server;

import dev.k8swasm.server.tls.Pem;
import dev.k8swasm.server.tls.SelfSigned;
import dev.k8swasm.server.tls.ServerTls;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's certificate: the files given (watched and reloaded when they change, e.g. renewed by
 * cert-manager) or a generated self-signed pair.
 */
final class TlsReloader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TlsReloader.class);

  private final ServeSettings settings;
  private final ServerMetrics metrics;
  private final ServerTls tls;
  private final SelfSigned.Pair generated;
  private FileWatcher watcher;

  TlsReloader(ServeSettings settings, ServerMetrics metrics) {
    this.settings = settings;
    this.metrics = metrics;
    List<X509Certificate> clientCas = clientCas(settings);
    if (settings.tlsCert().isPresent()) {
      this.generated = null;
      this.tls =
          new ServerTls(
              ServerTls.KeyMaterial.read(settings.tlsCert().get(), settings.tlsKey().get()),
              clientCas);
    } else {
      Set<String> names = new LinkedHashSet<>(SelfSigned.defaultNames());
      names.addAll(settings.tlsNames());
      this.generated = SelfSigned.generate(names, Duration.ofDays(365));
      this.tls =
          new ServerTls(new ServerTls.KeyMaterial(generated.key(), generated.chain()), clientCas);
    }
  }

  ServerTls tls() {
    return tls;
  }

  /** The certificates of every client CA file, or null when client certificates are not asked. */
  private static List<X509Certificate> clientCas(ServeSettings settings) {
    if (settings.clientCas().isEmpty()) {
      return null;
    }
    List<X509Certificate> all = new java.util.ArrayList<>();
    for (Path file : settings.clientCas()) {
      all.addAll(Pem.certificates(file));
    }
    return all;
  }

  /** The generated CA certificate in PEM, when no certificate was given. */
  Optional<String> generatedCaPem() {
    return generated == null ? Optional.empty() : Optional.of(Pem.encode(List.of(generated.ca())));
  }

  /** Watches the certificate, key and client CA files, when given. */
  void watch(Duration debounce) {
    if (settings.tlsCert().isEmpty()) {
      return;
    }
    Set<Path> files = new LinkedHashSet<>();
    files.add(settings.tlsCert().get().toAbsolutePath());
    files.add(settings.tlsKey().get().toAbsolutePath());
    settings.clientCas().forEach(p -> files.add(p.toAbsolutePath()));
    Set<Path> fixed = Set.copyOf(files);
    String[] last = {FileWatcher.digest(fixed)};
    watcher =
        new FileWatcher(
            "tls",
            () -> fixed,
            () -> {
              String digest = FileWatcher.digest(fixed);
              if (!digest.equals(last[0])) {
                last[0] = digest;
                reload();
              }
            },
            settings.reloadInterval(),
            debounce);
  }

  private void reload() {
    try {
      ServerTls.KeyMaterial m =
          ServerTls.KeyMaterial.read(settings.tlsCert().get(), settings.tlsKey().get());
      tls.update(m, clientCas(settings));
      metrics.tlsReload(true);
      LOG.info(
          "TLS certificate reloaded subject=\"{}\" notAfter={}",
          LogText.escape(m.chain().get(0).getSubjectX500Principal().getName()),
          m.chain().get(0).getNotAfter().toInstant());
    } catch (RuntimeException e) {
      metrics.tlsReload(false);
      LOG.error(
          "TLS certificate reload rejected; the current one keeps serving: {}",
          LogText.escape(e.getMessage()));
    }
  }

  @Override
  public void close() {
    if (watcher != null) {
      watcher.close();
    }
  }
}
