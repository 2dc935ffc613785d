package dev.k8swasm.oci;

import static dev.k8swasm.oci.StoreAssertions.assertNothingHalfWritten;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults a real registry does not produce on demand: a connection cut in the middle of a blob, a
 * blob or manifest whose bytes do not match their digest, a 403. A small loopback HTTP server
 * speaks just enough of the distribution protocol to inject them.
 */
class FaultyRegistryTest {
  @TempDir Path dir;
  HttpServer server;
  byte[] wasm;
  byte[] manifest;
  final AtomicReference<String> fault = new AtomicReference<>("none");
  Oci oci;
  String address;

  @BeforeEach
  void start() throws Exception {
    wasm = Files.readAllBytes(Artifacts.POLICY);
    ObjectNode m = Artifacts.JSON.createObjectNode();
    m.put("schemaVersion", 2);
    m.put("mediaType", MediaTypes.OCI_MANIFEST);
    m.putObject("config")
        .put("mediaType", MediaTypes.WASM_CONFIG)
        .put("digest", RegistryClient.Digests.sha256(new byte[0]))
        .put("size", 0);
    m.putArray("layers")
        .addObject()
        .put("mediaType", MediaTypes.WASM_LAYER)
        .put("digest", RegistryClient.Digests.sha256(wasm))
        .put("size", wasm.length);
    manifest = Artifacts.JSON.writeValueAsBytes(m);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v2/", this::handle);
    server.start();
    address = "127.0.0.1:" + server.getAddress().getPort();
    Path sources =
        Files.writeString(dir.resolve("sources.yml"), "insecure_sources: [\"" + address + "\"]\n");
    oci = Oci.of(OciOptions.builder().sources(sources).storeDir(dir.resolve("store")).build());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    try (ex) {
      if (fault.get().equals("forbidden")) {
        ex.sendResponseHeaders(403, -1);
        return;
      }
      if (path.contains("/manifests/")) {
        byte[] body =
            fault.get().equals("manifest-bytes")
                ? Arrays.copyOf(manifest, manifest.length + 1)
                : manifest;
        if (fault.get().equals("manifest-bytes")) {
          body[body.length - 1] = ' ';
        }
        ex.getResponseHeaders().set("Content-Type", MediaTypes.OCI_MANIFEST);
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        return;
      }
      if (path.contains("/blobs/")) {
        switch (fault.get()) {
          case "cut" -> {
            ex.sendResponseHeaders(200, wasm.length);
            OutputStream out = ex.getResponseBody();
            out.write(wasm, 0, wasm.length / 2);
            out.flush();
            // the connection is closed with half the bytes sent
            throw new IOException("cut");
          }
          case "blob-bytes" -> {
            byte[] other = wasm.clone();
            other[other.length - 1] ^= 1;
            ex.sendResponseHeaders(200, other.length);
            ex.getResponseBody().write(other);
          }
          default -> {
            ex.sendResponseHeaders(200, wasm.length);
            ex.getResponseBody().write(wasm);
          }
        }
        return;
      }
      ex.sendResponseHeaders(404, -1);
    }
  }

  String ref() {
    return "registry://" + address + "/policies/faulty:v1";
  }

  @Test
  void aPullCutMidwayLeavesNothingInTheStore() throws Exception {
    fault.set("cut");
    assertThatThrownBy(() -> oci.pull(ref()))
        .hasMessageStartingWith(
            ref()
                + ": download of blob "
                + RegistryClient.Digests.sha256(wasm)
                + " interrupted after ");
    assertThat(oci.store().list()).isEmpty();
    assertThat(StoreAssertions.blobs(dir.resolve("store"))).isEmpty();
    assertNothingHalfWritten(dir.resolve("store"));
    fault.set("none");
    assertThat(Files.readAllBytes(oci.pull(ref()).path())).isEqualTo(wasm);
  }

  @Test
  void aBlobWhoseBytesDoNotMatchItsDigestIsRefused() throws Exception {
    fault.set("blob-bytes");
    assertThatThrownBy(() -> oci.pull(ref()))
        .hasMessageStartingWith(
            ref()
                + ": digest mismatch: blob "
                + RegistryClient.Digests.sha256(wasm)
                + " has content sha256:");
    assertThat(oci.store().list()).isEmpty();
    assertNothingHalfWritten(dir.resolve("store"));
  }

  @Test
  void aManifestThatDoesNotMatchThePinnedDigestIsRefused() {
    String pinned = RegistryClient.Digests.sha256(manifest);
    fault.set("manifest-bytes");
    assertThatThrownBy(() -> oci.pull(ref() + "@" + pinned))
        .hasMessageStartingWith(
            ref()
                + "@"
                + pinned
                + ": digest mismatch: pinned "
                + pinned
                + ", the registry sent manifest sha256:");
    fault.set("none");
    assertThat(oci.pull(ref() + "@" + pinned).manifestDigest()).contains(pinned);
  }

  @Test
  void aForbiddenRepositoryIsA403() {
    fault.set("forbidden");
    assertThatThrownBy(() -> oci.pull(ref()))
        .hasMessage(ref() + ": access denied to policies/faulty (403 Forbidden)");
  }
}
