package dev.k8swasm.oci;

import static dev.k8swasm.oci.StoreAssertions.assertNothingHalfWritten;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.k8swasm.source.ModuleReference;
import dev.k8swasm.source.ModuleSources;
import dev.k8swasm.source.ResolvedModule;
import dev.k8swasm.source.SourceOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code https://} downloads through core's SPI: a loopback HTTPS server with a test CA. */
class HttpsDownloadTest {
  @TempDir Path dir;
  HttpsServer server;
  Path sources;
  String base;
  final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    RegistryServer.Pki pki =
        RegistryServer.certificates(
            dir.resolve("ca.pem"), dir.resolve("cert.pem"), dir.resolve("key.pem"));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry(
        "server", pki.serverKey(), new char[0], new Certificate[] {pki.server(), pki.ca()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ctx));
    byte[] wasm = Files.readAllBytes(Artifacts.POLICY);
    server.createContext(
        "/",
        ex -> {
          try (ex) {
            requests.incrementAndGet();
            byte[] body =
                switch (ex.getRequestURI().getPath()) {
                  case "/policy.wasm" -> wasm;
                  case "/script.sh" -> "#!/bin/sh\n".getBytes();
                  default -> null;
                };
            if (body == null) {
              ex.sendResponseHeaders(404, -1);
              return;
            }
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
          }
        });
    server.start();
    String authority = "127.0.0.1:" + server.getAddress().getPort();
    base = "https://" + authority;
    StringBuilder y =
        new StringBuilder(
            "source_authorities:\n  \"" + authority + "\":\n  - type: Path\n    path: ca.pem\n");
    sources = Files.writeString(dir.resolve("sources.yml"), y.toString());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  SourceOptions options() {
    return SourceOptions.builder()
        .extension(
            OciOptions.class,
            OciOptions.builder().sources(sources).storeDir(dir.resolve("store")).build())
        .build();
  }

  @Test
  void anHttpsModuleIsDownloadedOnceIntoTheStore() throws Exception {
    ModuleReference ref = ModuleReference.parse(base + "/policy.wasm");
    ResolvedModule first = ModuleSources.resolve(ref, options());
    assertThat(Files.readAllBytes(first.path())).isEqualTo(Files.readAllBytes(Artifacts.POLICY));
    assertThat(first.digest()).contains(RegistryClient.Digests.sha256(Artifacts.POLICY));
    ResolvedModule second = ModuleSources.resolve(ref, options());
    assertThat(second.path()).isEqualTo(first.path());
    assertThat(requests).hasValue(1);
    assertNothingHalfWritten(dir.resolve("store"));
  }

  @Test
  void badDownloadsAreOneLineErrorsAndNothingIsStored() throws Exception {
    assertThatThrownBy(
            () -> ModuleSources.resolve(ModuleReference.parse(base + "/missing.wasm"), options()))
        .hasMessage(base + "/missing.wasm: the server answered HTTP 404");
    assertThatThrownBy(
            () -> ModuleSources.resolve(ModuleReference.parse(base + "/script.sh"), options()))
        .hasMessage(base + "/script.sh: the download is not a WebAssembly module");
    assertThatThrownBy(
            () ->
                ModuleSources.resolve(
                    ModuleReference.parse("http://127.0.0.1:1/x.wasm"), options()))
        .hasMessage(
            "http://127.0.0.1:1/x.wasm: plain http:// downloads are not supported; use https:// or registry://");
    SourceOptions untrusted =
        SourceOptions.builder()
            .extension(
                OciOptions.class, OciOptions.builder().storeDir(dir.resolve("store")).build())
            .build();
    assertThatThrownBy(
            () -> ModuleSources.resolve(ModuleReference.parse(base + "/policy.wasm"), untrusted))
        .hasMessageStartingWith(base + "/policy.wasm: cannot download: ");
    assertThat(new LocalStore(dir.resolve("store")).list()).isEmpty();
    assertNothingHalfWritten(dir.resolve("store"));
  }

  @Test
  void withVerificationOnHttpsDownloadsAreRefused() throws Exception {
    Path verification =
        Artifacts.verificationConfig(
            dir.resolve("verification.yml"), SignatureVerificationTest.keys(), java.util.Map.of());
    Oci oci =
        Oci.of(
            OciOptions.builder()
                .sources(sources)
                .storeDir(dir.resolve("store"))
                .verificationConfig(verification)
                .build());
    assertThatThrownBy(() -> oci.pull(base + "/policy.wasm"))
        .hasMessage(
            base
                + "/policy.wasm: signature verification is configured, and https:// downloads carry"
                + " no signatures; use a registry:// reference");
    assertThat(requests).hasValue(0);
  }
}
