package dev.k8swasm.server;

import static dev.k8swasm.server.Fixture.module;
import static dev.k8swasm.server.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.server.tls.Pem;
import dev.k8swasm.server.tls.SelfSigned;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code --client-ca}: clients must present a certificate from that CA; the metrics port not. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MutualTlsTest {
  Fixture.Running s;
  SelfSigned.Pair apiserver;
  SelfSigned.Pair controller;
  X509Certificate serverCa;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    apiserver = SelfSigned.generate(Set.of("kube-apiserver"), Duration.ofDays(1), true);
    Path clientCa =
        Fixture.write(dir.resolve("client-ca.pem"), Pem.encode(List.of(apiserver.ca())));
    Path config =
        Fixture.write(
            dir.resolve("server.yaml"),
            "authorization:\n  modules:\n"
                + Fixture.moduleEntry("magic-authorizer", module("magic_authorizer.wasm")));
    // a second CA file, as Kubewarden's controller gives policy-server its own CA and the client CA
    controller = SelfSigned.generate(Set.of("controller"), Duration.ofDays(1), true);
    Path controllerCa =
        Fixture.write(dir.resolve("controller-ca.pem"), Pem.encode(List.of(controller.ca())));
    Fixture.Flags flags = new Fixture.Flags();
    flags.clientCas = List.of(clientCa, controllerCa);
    flags.metricsPort = 0;
    s = Fixture.start(config, flags);
    List<X509Certificate> chain = s.server.certificateChain();
    serverCa = chain.get(chain.size() - 1);
  }

  @AfterAll
  void stop() {
    s.close();
  }

  HttpResponse<String> authorize(HttpClient client) throws Exception {
    return client.send(
        HttpRequest.newBuilder(s.uri(WebhookServer.AUTHORIZE))
            .POST(HttpRequest.BodyPublishers.ofString(request("sar-configmaps.json")))
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aClientWithTheRightCertificateIsServed() throws Exception {
    HttpClient client =
        Fixture.client(
            List.of(serverCa),
            new X509Certificate[] {apiserver.certificate(), apiserver.ca()},
            apiserver.key());
    HttpResponse<String> r = authorize(client);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Fixture.json(r).path("status").path("allowed").asBoolean()).isTrue();
  }

  @Test
  void aClientWithACertificateFromTheSecondCaFileIsServed() throws Exception {
    HttpClient client =
        Fixture.client(
            List.of(serverCa),
            new X509Certificate[] {controller.certificate(), controller.ca()},
            controller.key());
    assertThat(authorize(client).statusCode()).isEqualTo(200);
  }

  @Test
  void aClientWithoutCertificateIsRefused() {
    // the handshake fails (TLS 1.3 may report it on the first read)
    assertThatThrownBy(() -> authorize(Fixture.client(List.of(serverCa), null, null)))
        .isInstanceOf(java.io.IOException.class);
    assertThatThrownBy(() -> s.get(WebhookServer.HEALTHZ)).isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void aClientWithACertificateFromAnotherCaIsRefused() {
    SelfSigned.Pair stranger = SelfSigned.generate(Set.of("stranger"), Duration.ofDays(1), true);
    HttpClient client =
        Fixture.client(
            List.of(serverCa),
            new X509Certificate[] {stranger.certificate(), stranger.ca()},
            stranger.key());
    assertThatThrownBy(() -> authorize(client)).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void theMetricsPortServesOnlyOperationsOverPlainHttp() throws Exception {
    HttpClient plain = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + s.server.metricsPort().orElseThrow();
    HttpResponse<String> health =
        plain.send(
            HttpRequest.newBuilder(URI.create(base + WebhookServer.HEALTHZ)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    HttpResponse<String> ready =
        plain.send(
            HttpRequest.newBuilder(URI.create(base + WebhookServer.READYZ)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
    HttpResponse<String> metrics =
        plain.send(
            HttpRequest.newBuilder(URI.create(base + WebhookServer.METRICS)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body()).contains("k8swasm_ready 1");
    HttpResponse<String> review =
        plain.send(
            HttpRequest.newBuilder(URI.create(base + WebhookServer.AUTHORIZE))
                .POST(HttpRequest.BodyPublishers.ofString(request("sar-configmaps.json")))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(review.statusCode()).isEqualTo(404);
    assertThat(review.body())
        .contains("this port serves only /metrics, /healthz, /readyz and /readiness");
  }
}
