package dev.k8swasm.server;

import static dev.k8swasm.server.Fixture.module;
import static dev.k8swasm.server.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the workers and the queue are full, requests get 429 and Retry-After, not a queue. */
class BackPressureTest {

  @Test
  void aFullServerAnswers429WithRetryAfterAndStaysHealthy(@TempDir Path dir) throws Exception {
    Path config =
        Fixture.write(
            dir.resolve("server.yaml"),
            "authorization:\n  modules:\n"
                + Fixture.moduleEntry("slow", module("hostile/loop_br.wasm"), "timeout: 1500ms"));
    Fixture.Flags flags = new Fixture.Flags();
    flags.workers = 1;
    flags.queueSize = 0;
    try (Fixture.Running s = Fixture.start(config, flags)) {
      String sar = request("sar-configmaps.json");
      CompletableFuture<HttpResponse<String>> first = send(s, s.client, sar);
      HotReloadTest.awaitTrue(() -> s.server.admission().running() == 1, "the worker is busy");

      List<CompletableFuture<HttpResponse<String>>> more = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        // separate clients: separate connections, as kube-apiserver's parallel calls
        more.add(
            send(s, Fixture.client(s.server.certificateChain().subList(1, 2), null, null), sar));
      }
      for (CompletableFuture<HttpResponse<String>> f : more) {
        HttpResponse<String> r = f.get();
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(Fixture.json(r).path("reason").asText()).isEqualTo("TooManyRequests");
      }
      // probes are answered even now
      HttpResponse<String> health =
          Fixture.client(s.server.certificateChain().subList(1, 2), null, null)
              .send(
                  HttpRequest.newBuilder(s.uri(WebhookServer.HEALTHZ)).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);

      HttpResponse<String> slow = first.get();
      assertThat(slow.statusCode()).isEqualTo(200);
      assertThat(Fixture.json(slow).path("status").path("evaluationError").asText())
          .contains("slow");
      assertThat(s.metric("k8swasm_http_rejected_total", "reason", "overloaded")).isEqualTo(3);
      assertThat(s.metric("k8swasm_evaluation_failures_total", "reason", "TIMEOUT")).isEqualTo(1);
      // and with the worker free again, requests are served
      assertThat(s.post(WebhookServer.AUTHORIZE, sar).statusCode()).isEqualTo(200);
    }
  }

  static CompletableFuture<HttpResponse<String>> send(
      Fixture.Running s, HttpClient client, String body) {
    return client.sendAsync(
        HttpRequest.newBuilder(s.uri(WebhookServer.AUTHORIZE))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
