package dev.k8swasm.server;

import static dev.k8swasm.server.Fixture.module;
import static dev.k8swasm.server.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 19's secure defaults, each shown on a running server. */
class SecureDefaultsTest {
  @TempDir Path dir;

  static final String RULES =
      "rules: [{operations: [CREATE], apiGroups: [\"\"], apiVersions: [v1],"
          + " resources: [configmaps]}]";

  private Path admission(String... entries) {
    return Fixture.write(
        dir.resolve("server.yaml"), "admission:\n  modules:\n" + String.join("", entries));
  }

  private static X509Certificate ca(Fixture.Running s) {
    List<X509Certificate> chain = s.server.certificateChain();
    return chain.get(chain.size() - 1);
  }

  private static void assertJsonStatus(String body, int code) {
    assertThat(body).doesNotContain("<html").doesNotContain("org.eclipse").doesNotContain("java.");
    JsonNode status = Fixture.json(body);
    assertThat(status.path("kind").asText()).isEqualTo("Status");
    assertThat(status.path("code").asInt()).isEqualTo(code);
  }

  /** Sends raw bytes over TLS (HTTP/1.1) and returns what the server answered. */
  private static String raw(Fixture.Running s, byte[] request) throws Exception {
    try (SSLSocket socket =
        (SSLSocket)
            Fixture.sslContext(List.of(ca(s)), null, null)
                .getSocketFactory()
                .createSocket("127.0.0.1", s.server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void oversizedHeadersAre431WithAJsonBody() throws Exception {
    Path config = admission(Fixture.moduleEntry("fast", module("magic_validator.wasm"), RULES));
    Fixture.Flags flags = new Fixture.Flags();
    flags.limits = l -> l.maxHeaderBytes(4096);
    try (Fixture.Running s = Fixture.start(config, flags)) {
      String answer =
          raw(
              s,
              ("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: "
                      + "a".repeat(8000)
                      + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      assertThat(answer).startsWith("HTTP/1.1 431");
      assertJsonStatus(answer.substring(answer.indexOf("\r\n\r\n") + 4), 431);
      // the connection's next request still works on a new connection
      assertThat(s.get(WebhookServer.HEALTHZ).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void errorsAreJsonEverywhereWithoutHtmlOrClassNames() throws Exception {
    Path config = admission(Fixture.moduleEntry("fast", module("magic_validator.wasm"), RULES));
    Fixture.Flags flags = new Fixture.Flags();
    flags.metricsPort = 0;
    try (Fixture.Running s = Fixture.start(config, flags)) {
      assertJsonStatus(s.get("/nope").body(), 404);
      assertJsonStatus(s.get(WebhookServer.VALIDATE).body(), 405);
      assertJsonStatus(s.post("/validate/none", "{}").body(), 404);
      // a request Jetty itself refuses: no HTML error page
      String bad =
          raw(
              s,
              "GET /healthz HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      assertThat(bad).startsWith("HTTP/1.1 400");
      assertJsonStatus(bad.substring(bad.indexOf("\r\n\r\n") + 4), 400);
      // the plain port as well
      try (Socket socket = new Socket("127.0.0.1", s.server.metricsPort().orElseThrow())) {
        socket.setSoTimeout(10_000);
        socket
            .getOutputStream()
            .write(
                "GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
        String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(answer).startsWith("HTTP/1.1 400");
        assertJsonStatus(answer.substring(answer.indexOf("\r\n\r\n") + 4), 400);
      }
      // no server version advertised; HTTP/2 when the client offers it (ALPN), else HTTP/1.1
      HttpResponse<String> h2 = s.get(WebhookServer.HEALTHZ);
      assertThat(h2.headers().firstValue("Server")).isEmpty();
      assertThat(h2.version()).isEqualTo(HttpClient.Version.HTTP_2);
      HttpResponse<String> h1 =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .sslContext(Fixture.sslContext(List.of(ca(s)), null, null))
              .build()
              .send(
                  HttpRequest.newBuilder(s.uri(WebhookServer.HEALTHZ)).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(h1.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThat(h1.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void trailingDataAfterTheJsonDocumentIs400() throws Exception {
    Path config = admission(Fixture.moduleEntry("fast", module("magic_validator.wasm"), RULES));
    try (Fixture.Running s = Fixture.start(config, new Fixture.Flags())) {
      String review = request("admission-configmap-create.json");
      assertThat(s.post("/validate/fast", review).statusCode()).isEqualTo(200);
      for (String trailing : List.of(" {}", "garbage", "\n{\"kind\":\"AdmissionReview\"}", "]")) {
        HttpResponse<String> r = s.post("/validate/fast", review + trailing);
        assertThat(r.statusCode()).as(trailing).isEqualTo(400);
        assertThat(Fixture.json(r).path("message").asText()).contains("after the JSON document");
      }
      // trailing white space is fine
      assertThat(s.post("/validate/fast", review + " \n\t").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void controlCharactersAreEscapedInTheAccessLog() throws Exception {
    Path config = admission(Fixture.moduleEntry("fast", module("magic_validator.wasm"), RULES));
    try (Fixture.Running s = Fixture.start(config, new Fixture.Flags())) {
      ObjectNode review = (ObjectNode) Fixture.json(request("admission-configmap-create.json"));
      String evil = "a\r\nrequest id=1 status=200\u001b[31m\u0000\u2028\u0085end";
      ((ObjectNode) review.path("request")).put("uid", evil);
      ((ObjectNode) review.path("request").path("userInfo")).put("username", evil);
      assertThat(s.post("/validate/fast", Json.writeString(review)).statusCode()).isEqualTo(200);
      HotReloadTest.awaitTrue(() -> !s.log.isEmpty(), "the request is logged");
      String line = s.log.get(s.log.size() - 1).format();
      assertThat(line.chars().filter(c -> c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)))
          .isEmpty();
      assertThat(line).doesNotContain("\u2028");
      assertThat(line).contains("a\\r\\nrequest", "\\x1b[31m", "\\x00", "\\u2028", "\\u0085end");
    }
  }

  @Test
  void aClientThatLeavesIsNotEvaluatedAndIsLoggedAs499() throws Exception {
    Path config =
        admission(
            Fixture.moduleEntry("slow", module("hostile/loop_br.wasm"), "timeout: 1500ms", RULES));
    Fixture.Flags flags = new Fixture.Flags();
    flags.workers = 2;
    flags.limits = l -> l.moduleConcurrency(1);
    try (Fixture.Running s = Fixture.start(config, flags)) {
      String review = request("admission-configmap-create.json");
      // one evaluation runs; 6 more wait, and their clients give up after 300 ms (HTTP/2 resets
      // the stream)
      CompletableFuture<HttpResponse<String>> first =
          s.client.sendAsync(
              HttpRequest.newBuilder(s.uri("/validate/slow"))
                  .POST(HttpRequest.BodyPublishers.ofString(review))
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      HotReloadTest.awaitTrue(() -> s.server.admission().running() == 1, "the first is running");
      List<CompletableFuture<HttpResponse<String>>> leaving = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        leaving.add(
            s.client.sendAsync(
                HttpRequest.newBuilder(s.uri("/validate/slow"))
                    .POST(HttpRequest.BodyPublishers.ofString(review))
                    .timeout(Duration.ofMillis(300))
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      for (CompletableFuture<HttpResponse<String>> f : leaving) {
        try {
          f.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(IOException.class);
        }
      }
      assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      HotReloadTest.awaitTrue(() -> s.server.admission().pending() == 0, "all handled");
      HotReloadTest.awaitTrue(
          () -> s.log.stream().filter(e -> e.status() == 499).count() == 6,
          "the six are logged as 499");
      assertThat(s.log).noneMatch(e -> e.status() == 500);
      // only the first was evaluated
      assertThat(s.metric("k8swasm_evaluations_total", "module", "slow")).isEqualTo(1);
      assertThat(s.metric("k8swasm_http_rejected_total", "reason", "client_gone")).isEqualTo(6);
      assertThat(s.metric("k8swasm_http_requests_seconds_count", "code", "499")).isEqualTo(6);
    }
  }

  @Test
  void queuedRequestsHaveADeadlineFromTheTimeoutParameter() throws Exception {
    Path config =
        admission(
            Fixture.moduleEntry("slow", module("hostile/loop_br.wasm"), "timeout: 2s", RULES));
    Fixture.Flags flags = new Fixture.Flags();
    flags.workers = 2;
    flags.limits = l -> l.moduleConcurrency(1);
    try (Fixture.Running s = Fixture.start(config, flags)) {
      String review = request("admission-configmap-create.json");
      CompletableFuture<HttpResponse<String>> first =
          s.client.sendAsync(
              HttpRequest.newBuilder(s.uri("/validate/slow"))
                  .POST(HttpRequest.BodyPublishers.ofString(review))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      HotReloadTest.awaitTrue(() -> s.server.admission().running() == 1, "the first is running");
      // kube-apiserver says it waits 500ms: the request cannot start in time
      HttpResponse<String> late = s.post("/validate/slow?timeout=500ms", review);
      assertThat(late.statusCode()).isEqualTo(503);
      assertThat(late.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(Fixture.json(late).path("message").asText()).contains("not evaluated");
      assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(s.metric("k8swasm_evaluations_total", "module", "slow")).isEqualTo(1);
      assertThat(Dispatcher.goDuration("1m30s")).isEqualTo(Duration.ofSeconds(90));
      assertThat(Dispatcher.goDuration("10s")).isEqualTo(Duration.ofSeconds(10));
      assertThat(Dispatcher.goDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
      assertThat(Dispatcher.goDuration("10")).isNull();
      assertThat(Dispatcher.goDuration("s10s")).isNull();
    }
  }

  @Test
  void moduleOutputReachesClientsOnlyInDebugMode() throws Exception {
    Path config =
        Fixture.write(
            dir.resolve("server.yaml"),
            "authorization:\n  modules:\n"
                + Fixture.moduleEntry("noisy", module("hostile/stderr_then_exit1.wasm")));
    try (Fixture.Running s = Fixture.start(config, new Fixture.Flags())) {
      String error =
          s.review(WebhookServer.AUTHORIZE, request("sar-configmaps.json"))
              .path("status")
              .path("evaluationError")
              .asText();
      assertThat(error).contains("noisy").doesNotContain("something went wrong on stderr");
      HotReloadTest.awaitTrue(() -> !s.log.isEmpty(), "the request is logged");
      assertThat(s.log.get(s.log.size() - 1).format())
          .doesNotContain("something went wrong on stderr");
    }
    assertThat(Reviews.forClient("module 'x' exited with code 1; stderr: secret stuff", true))
        .contains("secret stuff");
    assertThat(Reviews.forClient("module 'x' exited with code 1; stderr: secret stuff", false))
        .isEqualTo("module 'x' exited with code 1 (module output is logged at debug level)");
  }

  @Test
  void renegotiationIsRefused() throws Exception {
    Path config = admission(Fixture.moduleEntry("fast", module("magic_validator.wasm"), RULES));
    try (Fixture.Running s = Fixture.start(config, new Fixture.Flags())) {
      try (SSLSocket socket =
          (SSLSocket)
              Fixture.sslContext(List.of(ca(s)), null, null)
                  .getSocketFactory()
                  .createSocket("127.0.0.1", s.server.port())) {
        // renegotiation exists only up to TLS 1.2
        socket.setEnabledProtocols(new String[] {"TLSv1.2"});
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] first = new byte[16];
        assertThat(new String(first, 0, in.read(first), StandardCharsets.US_ASCII))
            .startsWith("HTTP/1.1 200");
        AtomicBoolean refused = new AtomicBoolean();
        try {
          socket.startHandshake();
          out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          byte[] rest = in.readAllBytes();
          // the server closed the connection instead of renegotiating and answering
          refused.set(!new String(rest, StandardCharsets.US_ASCII).contains("HTTP/1.1 200"));
        } catch (IOException e) {
          refused.set(true);
        }
        assertThat(refused).isTrue();
      }
    }
  }

  @Test
  void theReloaderSurvivesAnErrorAndSaysSo() throws Exception {
    Path config = dir.resolve("server.yaml");
    Fixture.write(
        config,
        "authorization:\n  modules:\n" + Fixture.moduleEntry("a", module("magic_authorizer.wasm")));
    AtomicBoolean explode = new AtomicBoolean();
    Fixture.Flags flags = new Fixture.Flags();
    flags.watch = true;
    flags.reloadInterval = Duration.ofMillis(200);
    flags.specCustomizer =
        b -> {
          if (explode.get()) {
            throw new OutOfMemoryError("simulated: a module too large for the heap");
          }
          return b;
        };
    try (Fixture.Running s = Fixture.start(config, flags)) {
      assertThat(s.metric("k8swasm_config_watcher_alive")).isEqualTo(1);
      double loadedAt = s.metric("k8swasm_config_last_successful_load_timestamp_seconds");
      assertThat(loadedAt).isPositive();
      explode.set(true);
      Fixture.write(
          config,
          "authorization:\n  modules:\n"
              + Fixture.moduleEntry("b", module("magic_authorizer.wasm")));
      HotReloadTest.awaitTrue(
          () -> s.metric("k8swasm_reloads_failed_total") == 1, "the reload fails with the Error");
      assertThat(s.metric("k8swasm_config_watcher_alive")).isEqualTo(1);
      assertThat(s.metric("k8swasm_config_last_reload_successful")).isZero();
      assertThat(s.metric("k8swasm_config_last_successful_load_timestamp_seconds"))
          .isEqualTo(loadedAt);
      assertThat(s.server.generation()).isEqualTo(1);
      // the watcher still runs: the next change is loaded
      explode.set(false);
      Fixture.write(
          config,
          "authorization:\n  modules:\n"
              + Fixture.moduleEntry("c", module("magic_authorizer.wasm")));
      HotReloadTest.awaitTrue(() -> s.server.generation() == 2, "the next change is loaded");
      assertThat(s.metric("k8swasm_config_last_reload_successful")).isEqualTo(1);
      assertThat(s.metric("k8swasm_config_last_successful_load_timestamp_seconds"))
          .isGreaterThanOrEqualTo(loadedAt);
    }
  }

  @Test
  void oversizedConfigurationAndModuleFilesAreRefusedBeforeReading() throws Exception {
    Path config = dir.resolve("server.yaml");
    Path moduleCopy = dir.resolve("m.wasm");
    Files.copy(module("magic_authorizer.wasm"), moduleCopy, StandardCopyOption.REPLACE_EXISTING);
    String small = "authorization:\n  modules:\n" + Fixture.moduleEntry("a", moduleCopy);
    Fixture.write(config, small);
    Fixture.Flags flags = new Fixture.Flags();
    flags.watch = true;
    flags.reloadInterval = Duration.ofMillis(200);
    long moduleSize = Files.size(moduleCopy);
    flags.limits = l -> l.maxConfigBytes(4096).maxModuleBytes(moduleSize + 10);
    try (Fixture.Running s = Fixture.start(config, flags)) {
      // a configuration file over the limit
      Fixture.write(config, small + "# " + "x".repeat(8192) + "\n");
      HotReloadTest.awaitTrue(
          () -> s.metric("k8swasm_reloads_failed_total") == 1, "the large file is refused");
      assertThat(s.server.generation()).isEqualTo(1);
      // a module file over the limit
      Fixture.write(config, small);
      HotReloadTest.awaitTrue(() -> s.server.generation() == 2, "the small file loads");
      Files.write(moduleCopy, new byte[(int) moduleSize + 100]);
      HotReloadTest.awaitTrue(
          () -> s.metric("k8swasm_reloads_failed_total") == 2, "the large module is refused");
      assertThat(s.server.generation()).isEqualTo(2);
      assertThat(s.review(WebhookServer.AUTHORIZE, request("sar-configmaps.json"))).isNotNull();
    }
    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(
                () -> ServerConfig.read(config, 10, 1 << 20)))
        .hasMessageContaining("more than the limit of 10 ")
        .hasMessageContaining("limits.maxConfigBytes")
        .hasMessageContaining("not read");
  }
}
