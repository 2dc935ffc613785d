package dev.k8swasm.fabric8;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Example: an operator that serves a mutating admission webhook whose decisions are made by
 * WebAssembly modules.
 *
 * <p>The operator builds an {@code AdmissionChain} once (here: the magic example modules, see
 * {@link WasmModules#magicChain()}), wraps it in a {@link Fabric8AdmissionHandler} and calls {@link
 * Fabric8AdmissionHandler#handle(byte[])} from its HTTP endpoint. The handler reads
 * kube-apiserver's JSON straight into the k8s-wasm types, runs the chain and returns the response
 * review kube-apiserver expects: {@code apiVersion}, {@code kind} and {@code response} (with a
 * base64 JSONPatch when a module changed the object).
 *
 * <p>A real webhook must be served over HTTPS ({@code com.sun.net.httpserver.HttpsServer} with the
 * certificate whose CA is the {@code caBundle} of the MutatingWebhookConfiguration); plain HTTP on
 * the loopback interface keeps this example short. Everything else is as in production.
 */
class OperatorWebhookExampleTest {

  /** The request body size kube-apiserver never exceeds (its limit for an object is 3 MiB). */
  private static final int MAX_BODY = 6 << 20;

  private Fabric8AdmissionHandler admission;
  private HttpServer server;
  private ExecutorService workers;
  private URI mutateUri;

  @BeforeEach
  void startWebhook() throws IOException {
    // 1. the admission logic: Wasm modules in an AdmissionChain, wrapped for HTTP
    admission = Fabric8AdmissionHandler.of(WasmModules.magicChain());

    // 2. the HTTP endpoint kube-apiserver calls: POST /mutate with an AdmissionReview
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/mutate", this::mutate);
    workers = Executors.newFixedThreadPool(4); // the handler is thread-safe
    server.setExecutor(workers);
    server.start();
    mutateUri =
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mutate?timeout=10s");
  }

  /** The webhook endpoint. */
  private void mutate(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        reply(exchange, 405, "only POST");
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(MAX_BODY + 1);
      }
      if (body.length > MAX_BODY) {
        reply(exchange, 413, "request too large");
        return;
      }
      byte[] answer;
      try {
        answer = admission.handle(body);
      } catch (IllegalArgumentException e) {
        // not an AdmissionReview with a request
        reply(exchange, 400, e.getMessage());
        return;
      } catch (RuntimeException e) {
        // the controller failed: kube-apiserver applies the webhook's failurePolicy
        reply(exchange, 500, "admission failed");
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    }
  }

  private static void reply(HttpExchange exchange, int status, String message) throws IOException {
    byte[] text = message.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, text.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(text);
    }
  }

  @AfterEach
  void stopWebhook() {
    server.stop(0);
    workers.shutdownNow();
    admission.close(); // closes the chain and with it the modules
  }

  // ------------------------------------------------------------------ what kube-apiserver sends

  /**
   * An AdmissionReview as kube-apiserver sends it for {@code kubectl create configmap}: {@code
   * oldObject} and {@code creationTimestamp} are null on CREATE, and the request carries the
   * CreateOptions.
   */
  private static String createConfigMap(String uid, String key) {
    return """
        {
          "kind": "AdmissionReview",
          "apiVersion": "admission.k8s.io/v1",
          "request": {
            "uid": "%s",
            "kind": {"group": "", "version": "v1", "kind": "ConfigMap"},
            "resource": {"group": "", "version": "v1", "resource": "configmaps"},
            "requestKind": {"group": "", "version": "v1", "kind": "ConfigMap"},
            "requestResource": {"group": "", "version": "v1", "resource": "configmaps"},
            "name": "settings",
            "namespace": "shop",
            "operation": "CREATE",
            "userInfo": {
              "username": "kubernetes-admin",
              "groups": ["kubeadm:cluster-admins", "system:authenticated"]
            },
            "object": {
              "kind": "ConfigMap",
              "apiVersion": "v1",
              "metadata": {
                "name": "settings",
                "namespace": "shop",
                "creationTimestamp": null,
                "managedFields": [{
                  "manager": "kubectl-create",
                  "operation": "Update",
                  "apiVersion": "v1",
                  "time": "2025-01-01T12:00:00Z",
                  "fieldsType": "FieldsV1",
                  "fieldsV1": {"f:data": {".": {}, "f:%s": {}}}
                }]
              },
              "data": {"%s": "blue"}
            },
            "oldObject": null,
            "dryRun": false,
            "options": {
              "kind": "CreateOptions",
              "apiVersion": "meta.k8s.io/v1",
              "fieldManager": "kubectl-create",
              "fieldValidation": "Strict"
            }
          }
        }
        """
        .formatted(uid, key, key);
  }

  private HttpResponse<String> post(String body) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpRequest request =
        HttpRequest.newBuilder(mutateUri)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  // ------------------------------------------------------------------ the example's checks

  @Test
  void mutatesAConfigMap() throws Exception {
    HttpResponse<String> reply = post(createConfigMap("9c0c5bd4-example-allow", "colour"));

    assertThat(reply.statusCode()).isEqualTo(200);
    assertThat(reply.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode review = Trees.parse(reply.body());
    assertThat(review.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(review.path("kind").asText()).isEqualTo("AdmissionReview");
    assertThat(review.has("request")).isFalse();
    JsonNode response = review.path("response");
    assertThat(response.path("uid").asText()).isEqualTo("9c0c5bd4-example-allow");
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
    JsonNode patch = Trees.parse(Base64.getDecoder().decode(response.path("patch").asText()));
    Trees.assertSameJson(
        patch,
        Trees.parse("[{\"op\":\"add\",\"path\":\"/data/magic-value\",\"value\":\"foobar\"}]"));
  }

  @Test
  void deniesAConfigMapWithTheForbiddenKey() throws Exception {
    HttpResponse<String> reply =
        post(createConfigMap("9c0c5bd4-example-deny", "not-allowed-value"));

    assertThat(reply.statusCode()).isEqualTo(200);
    JsonNode response = Trees.parse(reply.body()).path("response");
    assertThat(response.path("uid").asText()).isEqualTo("9c0c5bd4-example-deny");
    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.at("/status/code").asInt()).isEqualTo(403);
    assertThat(response.at("/status/message").asText())
        .contains("value 'not-allowed-value' not allowed in configmap");
    assertThat(response.has("patch")).isFalse();
  }

  @Test
  void answersBadRequestsWith400() throws Exception {
    HttpResponse<String> reply = post("{\"kind\":\"AdmissionReview\"}");

    assertThat(reply.statusCode()).isEqualTo(400);
    assertThat(reply.body()).contains("no request");
  }
}
