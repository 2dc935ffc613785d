package dev.k8swasm.examples.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.k8swasm.json.Json;
import dev.k8swasm.testing.AdmissionReviews;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operator example with fabric8 ConfigMaps, in-process and as a webhook over HTTP. */
class ConfigMapAdmissionTest {
  private static ConfigMapAdmission admission;

  @BeforeAll
  static void load() {
    admission = ConfigMapAdmission.fromConfig(Path.of("config/admission.yaml"));
  }

  @AfterAll
  static void close() {
    admission.close();
  }

  private static ConfigMap configMap(String key, String value) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName("shop-settings")
        .withNamespace("shop")
        .addToLabels("app", "shop")
        .endMetadata()
        .addToData(key, value)
        .build();
  }

  @Test
  void anAdmittedConfigMapComesBackMutated() {
    ConfigMapAdmission.Decision d =
        admission.create(configMap("colour", "blue"), "system:serviceaccount:ops:operator");
    assertThat(d.allowed()).isTrue();
    assertThat(d.message()).isNull();
    assertThat(d.admitted().getData())
        .containsEntry("colour", "blue")
        .containsEntry("magic-value", "foobar");
    assertThat(d.admitted().getMetadata().getLabels()).containsEntry("app", "shop");
  }

  @Test
  void aDeniedConfigMapSaysWhy() {
    ConfigMapAdmission.Decision d =
        admission.create(configMap("not-allowed-value", "x"), "system:serviceaccount:ops:operator");
    assertThat(d.allowed()).isFalse();
    assertThat(d.admitted()).isNull();
    assertThat(d.code()).isEqualTo(403);
    assertThat(d.message())
        .isEqualTo(
            "module \"magic-validator\" denied the request: value 'not-allowed-value' not allowed"
                + " in configmap");
  }

  @Test
  void updatesAreAdmittedToo() {
    ConfigMapAdmission.Decision d =
        admission.update(configMap("colour", "red"), configMap("colour", "blue"), "alice");
    assertThat(d.allowed()).isTrue();
    assertThat(d.admitted().getData())
        .containsEntry("colour", "red")
        .containsEntry("magic-value", "foobar");
  }

  @Test
  void theSameLogicServesKubeApiServerAsAWebhook() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/mutate", admission.webhook());
    server.start();
    try {
      String review =
          Json.writeString(
              AdmissionReviews.create(configMap("colour", "blue")).uid("0c1e5b2a-webhook").build());
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:" + server.getAddress().getPort() + "/mutate"))
                      .timeout(Duration.ofSeconds(30))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(review))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode answer = Json.readTree(response.body().getBytes());
      assertThat(answer.path("response").path("uid").asText()).isEqualTo("0c1e5b2a-webhook");
      assertThat(answer.path("response").path("allowed").asBoolean()).isTrue();
      assertThat(answer.path("response").path("patchType").asText()).isEqualTo("JSONPatch");
      String patch =
          new String(Base64.getDecoder().decode(answer.path("response").path("patch").asText()));
      assertThat(patch)
          .isEqualTo("[{\"op\":\"add\",\"path\":\"/data/magic-value\",\"value\":\"foobar\"}]");

      HttpResponse<String> bad =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:" + server.getAddress().getPort() + "/mutate"))
                      .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"AdmissionReview\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("no request");
    } finally {
      server.stop(0);
    }
  }
}
