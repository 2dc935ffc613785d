package dev.k8swasm.server;

import static dev.k8swasm.server.Fixture.module;
import static dev.k8swasm.server.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shutdown stops accepting at once, finishes the requests in flight, then closes. */
class GracefulShutdownTest {

  @Test
  void inFlightRequestsFinishAndNewConnectionsAreRefused(@TempDir Path dir) throws Exception {
    Path config =
        Fixture.write(
            dir.resolve("server.yaml"),
            "authorization:\n  modules:\n"
                + Fixture.moduleEntry("slow", module("hostile/loop_br.wasm"), "timeout: 1500ms"));
    Fixture.Running s = Fixture.start(config, new Fixture.Flags());
    Policies policies = s.server.store().peek().orElseThrow();
    // another client with an open keep-alive HTTP/1.1 connection (HTTP/2 clients get GOAWAY)
    HttpClient other =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(Fixture.sslContext(s.server.certificateChain().subList(1, 2), null, null))
            .build();
    assertThat(get(other, s, WebhookServer.HEALTHZ).statusCode()).isEqualTo(200);
    CompletableFuture<HttpResponse<String>> inFlight =
        BackPressureTest.send(s, s.client, request("sar-configmaps.json"));
    HotReloadTest.awaitTrue(
        () -> s.server.admission().running() == 1, "the request is being evaluated");

    long start = System.nanoTime();
    CompletableFuture<Void> shutdown =
        CompletableFuture.runAsync(() -> s.server.shutdown(Duration.ofSeconds(20)));
    HotReloadTest.awaitTrue(() -> !s.server.ready(), "readiness turns false");
    Thread.sleep(100);
    // a new connection is refused while the request in flight goes on
    assertThatThrownBy(
            () ->
                Fixture.client(s.server.certificateChain().subList(1, 2), null, null)
                    .send(
                        HttpRequest.newBuilder(s.uri(WebhookServer.HEALTHZ))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                        HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
    assertThat(inFlight).isNotDone();
    assertThat(policies.closed()).isFalse();
    // a request on an open connection is answered, and the connection closed after it
    HttpResponse<String> late = get(other, s, WebhookServer.READYZ);
    assertThat(late.statusCode()).isEqualTo(503);
    assertThat(Fixture.json(late).path("message").asText()).isEqualTo("shutting down");
    assertThat(late.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(late.headers().firstValue("Connection")).hasValue("close");

    HttpResponse<String> answered = inFlight.get();
    assertThat(answered.statusCode()).isEqualTo(200);
    assertThat(Fixture.json(answered).path("status").path("evaluationError").asText())
        .contains("slow");
    shutdown.get();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    System.out.printf("shutdown with one request in flight took %d ms%n", took.toMillis());
    assertThat(took).isLessThan(Duration.ofSeconds(10));
    assertThat(policies.closed()).isTrue();
  }

  static HttpResponse<String> get(HttpClient client, Fixture.Running s, String path)
      throws Exception {
    return client.send(
        HttpRequest.newBuilder(s.uri(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theGracePeriodBoundsTheWait(@TempDir Path dir) throws Exception {
    Path config =
        Fixture.write(
            dir.resolve("server.yaml"),
            "authorization:\n  modules:\n"
                + Fixture.moduleEntry("slow", module("hostile/loop_br.wasm"), "timeout: 5s"));
    Fixture.Running s = Fixture.start(config, new Fixture.Flags());
    CompletableFuture<HttpResponse<String>> inFlight =
        BackPressureTest.send(s, s.client, request("sar-configmaps.json"));
    HotReloadTest.awaitTrue(
        () -> s.server.admission().running() == 1, "the request is being evaluated");
    long start = System.nanoTime();
    s.server.shutdown(Duration.ofMillis(300));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isLessThan(Duration.ofSeconds(4));
    // the request lost its connection: kube-apiserver applies its failure policy
    assertThatThrownBy(inFlight::get).hasCauseInstanceOf(IOException.class);
  }
}
