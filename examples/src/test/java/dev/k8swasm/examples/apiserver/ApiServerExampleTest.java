package dev.k8swasm.examples.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Drives the example API server with a real HTTP client: the magic authenticator knows the token
 * {@code magic-token} (user {@code magic-user} in {@code magic-group}), the magic authorizer lets
 * {@code magic-group} do anything with ConfigMaps.
 */
class ApiServerExampleTest {
  private static ApiServerExample server;
  private static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    server =
        ApiServerExample.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            Path.of("config/authentication.yaml"),
            Path.of("config/authorization.yaml"));
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> send(String method, String path, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static JsonNode json(HttpResponse<String> response) {
    return Json.readTree(response.body().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void withoutATokenTheAnswerIs401() throws Exception {
    HttpResponse<String> response = send("GET", "/api/v1/namespaces/default/configmaps", null);
    assertThat(response.statusCode()).isEqualTo(401);
    JsonNode status = json(response);
    assertThat(status.path("kind").asText()).isEqualTo("Status");
    assertThat(status.path("reason").asText()).isEqualTo("Unauthorized");
    assertThat(status.path("code").asInt()).isEqualTo(401);
  }

  @Test
  void anUnknownTokenIs401() throws Exception {
    assertThat(send("GET", "/api/v1/namespaces/default/configmaps", "guess").statusCode())
        .isEqualTo(401);
  }

  @Test
  void theMagicUserMayListConfigMaps() throws Exception {
    HttpResponse<String> response =
        send("GET", "/api/v1/namespaces/default/configmaps", "magic-token");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(body.path("user").asText()).isEqualTo("magic-user");
    assertThat(body.path("groups").toString()).isEqualTo("[\"magic-group\"]");
    JsonNode request = body.path("request");
    assertThat(request.path("verb").asText()).isEqualTo("list");
    assertThat(request.path("resource").asText()).isEqualTo("configmaps");
    assertThat(request.path("namespace").asText()).isEqualTo("default");
  }

  @Test
  void andChangeThem() throws Exception {
    assertThat(
            send("PUT", "/api/v1/namespaces/shop/configmaps/settings", "magic-token").statusCode())
        .isEqualTo(200);
    assertThat(
            send("DELETE", "/api/v1/namespaces/shop/configmaps/settings", "magic-token")
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void butNotPods() throws Exception {
    HttpResponse<String> response =
        send("GET", "/api/v1/namespaces/default/pods/web", "magic-token");
    assertThat(response.statusCode()).isEqualTo(403);
    JsonNode status = json(response);
    assertThat(status.path("reason").asText()).isEqualTo("Forbidden");
    assertThat(status.path("message").asText())
        .isEqualTo(
            "pods \"web\" is forbidden: User \"magic-user\" cannot get resource \"pods\" in API"
                + " group \"\" in the namespace \"default\"");
  }

  @Test
  void norNonResourcePaths() throws Exception {
    HttpResponse<String> response = send("GET", "/healthz", "magic-token");
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(json(response).path("message").asText())
        .isEqualTo("forbidden: User \"magic-user\" cannot get path \"/healthz\"");
  }

  @Test
  void manyRequestsAtOnce() throws Exception {
    var futures =
        IntStream.range(0, 40)
            .mapToObj(
                i ->
                    client.sendAsync(
                        HttpRequest.newBuilder(
                                URI.create(
                                    "http://127.0.0.1:"
                                        + server.port()
                                        + "/api/v1/namespaces/ns"
                                        + i
                                        + (i % 2 == 0 ? "/configmaps" : "/secrets")))
                            .header("Authorization", "Bearer magic-token")
                            .build(),
                        HttpResponse.BodyHandlers.ofString()))
            .toList();
    for (int i = 0; i < futures.size(); i++) {
      assertThat(futures.get(i).get().statusCode()).isEqualTo(i % 2 == 0 ? 200 : 403);
    }
  }
}
