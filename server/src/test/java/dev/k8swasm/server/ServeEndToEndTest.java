package dev.k8swasm.server;

import static dev.k8swasm.server.Fixture.exampleConfig;
import static dev.k8swasm.server.Fixture.json;
import static dev.k8swasm.server.Fixture.module;
import static dev.k8swasm.server.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.json.Json;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server on a loopback port, driven over HTTPS with the bodies kube-apiserver sends: the magic
 * behaviours on every endpoint, the wire details kube-apiserver checks, and the error paths.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServeEndToEndTest {
  Fixture.Running s;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    // one section inline, the others by path (a module list and an AdmissionConfiguration)
    Path config =
        Fixture.write(
            dir.resolve("server.yaml"),
            "maxRequestBytes: 64Ki\n"
                + "authentication:\n"
                + "  modules:\n"
                + Fixture.moduleEntry("magic-authenticator", module("magic_authenticator.wasm"))
                + "authorization:\n"
                + "  path: "
                + exampleConfig("authorization.yaml")
                + "\n"
                + "admission:\n"
                + "  path: "
                + exampleConfig("admission-configuration.yaml")
                + "\n");
    s = Fixture.start(config, new Fixture.Flags());
  }

  @AfterAll
  void stop() {
    s.close();
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Authenticate {
    @Test
    void v1MagicTokenIsAuthenticated() {
      JsonNode r = s.review(WebhookServer.AUTHENTICATE, request("tokenreview-magic.json"));
      assertThat(r.path("apiVersion").asText()).isEqualTo("authentication.k8s.io/v1");
      assertThat(r.path("kind").asText()).isEqualTo("TokenReview");
      JsonNode status = r.path("status");
      assertThat(status.path("authenticated").asBoolean()).isTrue();
      assertThat(status.path("user").path("username").asText()).isEqualTo("magic-user");
      assertThat(status.path("user").path("uid").asText()).isEqualTo("0");
      assertThat(status.path("user").path("groups").get(0).asText()).isEqualTo("magic-group");
      assertThat(status.path("audiences").get(0).asText())
          .isEqualTo("https://kubernetes.default.svc.cluster.local");
      assertThat(r.toString()).doesNotContain("magic-token");
    }

    @Test
    void v1beta1IsAnsweredInV1beta1() {
      JsonNode r = s.review(WebhookServer.AUTHENTICATE, request("tokenreview-v1beta1.json"));
      assertThat(r.path("apiVersion").asText()).isEqualTo("authentication.k8s.io/v1beta1");
      assertThat(r.path("status").path("authenticated").asBoolean()).isTrue();
      assertThat(r.path("status").path("user").path("username").asText()).isEqualTo("magic-user");
    }

    @Test
    void otherTokenIsNotAuthenticated() {
      JsonNode r = s.review(WebhookServer.AUTHENTICATE, request("tokenreview-other.json"));
      assertThat(r.path("status").path("authenticated").asBoolean(false)).isFalse();
      assertThat(r.path("status").has("user")).isFalse();
      assertThat(r.path("status").has("error")).isFalse();
    }

    @Test
    void tokensNeverReachTheLog() {
      s.review(WebhookServer.AUTHENTICATE, request("tokenreview-magic.json"));
      s.review(WebhookServer.AUTHENTICATE, request("tokenreview-other.json"));
      String other = json(request("tokenreview-other.json")).path("spec").path("token").asText();
      assertThat(s.log).isNotEmpty();
      for (AccessLog.Entry e : s.log) {
        assertThat(e.format()).doesNotContain("magic-token").doesNotContain(other);
      }
      assertThat(s.log)
          .anySatisfy(
              e ->
                  assertThat(e.format())
                      .contains("endpoint=/authenticate")
                      .contains("decision=authenticated")
                      .contains("user=magic-user")
                      .contains("modules=magic-authenticator:authenticated:"));
    }

    @Test
    void missingTokenIs400() {
      HttpResponse<String> r =
          s.post(
              WebhookServer.AUTHENTICATE,
              "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{}}");
      assertBadRequest(r, "spec.token");
    }
  }

  @Nested
  class Authorize {
    @Test
    void v1ConfigmapsAllowedForMagicGroup() {
      JsonNode r = s.review(WebhookServer.AUTHORIZE, request("sar-configmaps.json"));
      assertThat(r.path("apiVersion").asText()).isEqualTo("authorization.k8s.io/v1");
      assertThat(r.path("kind").asText()).isEqualTo("SubjectAccessReview");
      assertThat(r.path("status").path("allowed").asBoolean()).isTrue();
      assertThat(r.path("status").has("denied")).isFalse();
    }

    @Test
    void v1PodsIsNoOpinion() {
      JsonNode r = s.review(WebhookServer.AUTHORIZE, request("sar-pods.json"));
      assertThat(r.path("status").path("allowed").asBoolean()).isFalse();
      assertThat(r.path("status").path("denied").asBoolean(false)).isFalse();
    }

    @Test
    void nonResourceRequestIsNoOpinion() {
      JsonNode r = s.review(WebhookServer.AUTHORIZE, request("sar-v1-nonresource.json"));
      assertThat(r.path("status").path("allowed").asBoolean()).isFalse();
    }

    @Test
    void v1beta1WithGroupFieldIsAllowedAndEchoed() {
      JsonNode r = s.review(WebhookServer.AUTHORIZE, request("sar-v1beta1-configmaps.json"));
      assertThat(r.path("apiVersion").asText()).isEqualTo("authorization.k8s.io/v1beta1");
      assertThat(r.path("spec").path("group").get(0).asText()).isEqualTo("magic-group");
      assertThat(r.path("status").path("allowed").asBoolean()).isTrue();
    }

    @Test
    void missingSpecIs400() {
      assertBadRequest(
          s.post(
              WebhookServer.AUTHORIZE,
              "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\"}"),
          "no spec");
    }
  }

  @Nested
  class Admission {
    @Test
    void mutateAnswersTheMutatorsJsonPatch() {
      String body = request("admission-configmap-create.json");
      JsonNode r = s.review(WebhookServer.MUTATE, body);
      assertThat(r.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
      assertThat(r.path("kind").asText()).isEqualTo("AdmissionReview");
      assertThat(r.has("request")).isFalse();
      JsonNode response = r.path("response");
      assertThat(response.path("uid").asText())
          .isEqualTo(json(body).path("request").path("uid").asText());
      assertThat(response.path("allowed").asBoolean()).isTrue();
      assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
      String patch =
          new String(
              Base64.getDecoder().decode(response.path("patch").asText()), StandardCharsets.UTF_8);
      assertThat(Json.readTree(patch.getBytes(StandardCharsets.UTF_8)))
          .isEqualTo(
              Json.readTree(
                  "[{\"op\":\"add\",\"path\":\"/data/magic-value\",\"value\":\"foobar\"}]"
                      .getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void mutateDoesNotRunValidators() {
      JsonNode r = s.review(WebhookServer.MUTATE, request("admission-configmap-not-allowed.json"));
      assertThat(r.path("response").path("allowed").asBoolean()).isTrue();
      assertThat(r.path("response").has("patch")).isTrue();
    }

    @Test
    void validateDeniesTheForbiddenKey() {
      String body = request("admission-configmap-not-allowed.json");
      JsonNode r = s.review(WebhookServer.VALIDATE, body);
      JsonNode response = r.path("response");
      assertThat(response.path("uid").asText())
          .isEqualTo(json(body).path("request").path("uid").asText());
      assertThat(response.path("allowed").asBoolean()).isFalse();
      assertThat(response.path("status").path("code").asInt()).isEqualTo(403);
      assertThat(response.path("status").path("message").asText())
          .contains("magic-validator")
          .contains("value 'not-allowed-value' not allowed in configmap");
      assertThat(response.has("patch")).isFalse();
    }

    @Test
    void validateAllowsAndNeverPatches() {
      JsonNode r = s.review(WebhookServer.VALIDATE, request("admission-configmap-create.json"));
      assertThat(r.path("response").path("allowed").asBoolean()).isTrue();
      assertThat(r.path("response").has("patch")).isFalse();
      assertThat(r.path("response").has("patchType")).isFalse();
    }

    @Test
    void singleModuleEndpoints() {
      JsonNode denied =
          s.review("/validate/magic-validator", request("admission-configmap-not-allowed.json"));
      assertThat(denied.path("response").path("allowed").asBoolean()).isFalse();
      JsonNode patched =
          s.review("/mutate/magic-mutator", request("admission-configmap-create.json"));
      assertThat(patched.path("response").path("patchType").asText()).isEqualTo("JSONPatch");
      assertThat(s.post("/validate/magic-mutator", request("admission-configmap-create.json")))
          .satisfies(r -> assertStatus(r, 404, "is a mutating module: use /mutate/magic-mutator"));
      assertThat(s.post("/mutate/nope", request("admission-configmap-create.json")))
          .satisfies(r -> assertStatus(r, 404, "no admission module named 'nope'"));
    }

    @Test
    void queryParametersAreIgnored() {
      // kube-apiserver appends ?timeout=10s to admission webhook URLs
      JsonNode r =
          s.review(
              WebhookServer.VALIDATE + "?timeout=10s", request("admission-configmap-create.json"));
      assertThat(r.path("response").path("allowed").asBoolean()).isTrue();
    }

    @Test
    void webhookConfigurationsAreExempt() {
      JsonNode r = s.review(WebhookServer.VALIDATE, request("admission-webhookconfiguration.json"));
      assertThat(r.path("response").path("allowed").asBoolean()).isTrue();
      assertThat(r.path("response").path("uid").asText())
          .isEqualTo("7c1b0f64-5b0e-4d3b-9a0c-6d2a1f3e8b11");
    }

    @Test
    void missingUidIs400() {
      ObjectNode body = (ObjectNode) json(request("admission-configmap-create.json"));
      ((ObjectNode) body.path("request")).remove("uid");
      assertBadRequest(s.post(WebhookServer.VALIDATE, body.toString()), "no uid");
    }

    @Test
    void missingRequestIs400() {
      assertBadRequest(
          s.post(
              WebhookServer.MUTATE,
              "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}"),
          "no request");
    }

    @Test
    void accessLogHasUidModuleDecisionAndDuration() {
      s.review(WebhookServer.VALIDATE, request("admission-configmap-not-allowed.json"));
      assertThat(s.log)
          .anySatisfy(
              e -> {
                assertThat(e.uid()).isEqualTo("8ccbafb7-01cd-5b30-8384-5515797ec450");
                assertThat(e.decision()).isEqualTo("denied");
                assertThat(e.evaluations())
                    .singleElement()
                    .satisfies(ev -> assertThat(ev.module()).isEqualTo("magic-validator"));
                assertThat(e.format())
                    .contains("uid=8ccbafb7-01cd-5b30-8384-5515797ec450")
                    .contains("endpoint=/validate ")
                    .contains("status=200")
                    .contains("modules=magic-validator:denied:")
                    .contains("duration_ms=");
              });
    }
  }

  @Nested
  class Errors {
    @Test
    void malformedJsonIs400WithAReason() {
      HttpResponse<String> r = s.post(WebhookServer.VALIDATE, "{\"kind\": \"AdmissionReview\",");
      assertBadRequest(r, "not valid JSON");
    }

    @Test
    void emptyBodyIs400() {
      assertBadRequest(s.post(WebhookServer.AUTHORIZE, ""), "empty");
    }

    @Test
    void notAnObjectIs400() {
      assertBadRequest(s.post(WebhookServer.AUTHORIZE, "[1,2]"), "not a JSON object");
    }

    @Test
    void wrongKindIs400() {
      assertBadRequest(
          s.post(WebhookServer.VALIDATE, request("tokenreview-magic.json")),
          "expected kind AdmissionReview, got 'TokenReview'");
    }

    @Test
    void wrongApiVersionIs400() {
      assertBadRequest(
          s.post(
              WebhookServer.AUTHENTICATE,
              request("tokenreview-magic.json")
                  .replace("authentication.k8s.io/v1", "authentication.k8s.io/v2")),
          "unsupported apiVersion 'authentication.k8s.io/v2'");
    }

    @Test
    void wrongFieldTypeIs400WithoutEchoingTheBody() {
      HttpResponse<String> r =
          s.post(
              WebhookServer.AUTHENTICATE,
              "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\","
                  + "\"spec\":{\"token\":\"secret-token-x\",\"audiences\":\"not-a-list\"}}");
      assertBadRequest(r, "spec.audiences");
      assertThat(r.body()).doesNotContain("secret-token-x").doesNotContain("not-a-list");
    }

    @Test
    void unknownPathIs404() {
      HttpResponse<String> r = s.post("/admit", "{}");
      assertStatus(r, 404, "no such endpoint");
      assertStatus(s.post("/validate/", "{}"), 404, "no such endpoint");
      assertStatus(s.get("/"), 404, "no such endpoint");
    }

    @Test
    void errorsAnsweredBeforeTheBodyKeepTheConnectionUsable() {
      // the client may send its next request as soon as it has the answer
      for (int i = 0; i < 200; i++) {
        HttpResponse<String> r =
            s.send(
                HttpRequest.newBuilder(s.uri("/nope"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"i\":" + i + "}"))
                    .timeout(Duration.ofSeconds(5))
                    .build());
        assertThat(r.statusCode()).isEqualTo(404);
        HttpResponse<String> ok =
            s.send(
                HttpRequest.newBuilder(s.uri(WebhookServer.HEALTHZ))
                    .timeout(Duration.ofSeconds(5))
                    .build());
        assertThat(ok.statusCode()).isEqualTo(200);
      }
    }

    @Test
    void wrongMethodIs405WithAllow() {
      HttpResponse<String> r = s.get(WebhookServer.AUTHENTICATE);
      assertStatus(r, 405, "accepts only POST");
      assertThat(r.headers().firstValue("Allow")).hasValue("POST");
      HttpResponse<String> m = s.post(WebhookServer.METRICS, "{}");
      assertStatus(m, 405, "accepts only GET");
      assertThat(m.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void oversizedBodyIs413() {
      String big = "{\"kind\":\"AdmissionReview\",\"pad\":\"" + "x".repeat(100_000) + "\"}";
      assertStatus(s.post(WebhookServer.VALIDATE, big), 413, "larger than the limit of 65536");
      // without Content-Length (chunked)
      HttpResponse<String> chunked =
          s.send(
              HttpRequest.newBuilder(s.uri(WebhookServer.VALIDATE))
                  .POST(
                      HttpRequest.BodyPublishers.ofInputStream(
                          () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                  .timeout(Duration.ofSeconds(30))
                  .build());
      assertStatus(chunked, 413, "larger than the limit");
      // the connection is still usable
      assertThat(s.get(WebhookServer.HEALTHZ).statusCode()).isEqualTo(200);
    }

    @Test
    void aRefusedOversizedBodyLeavesTheNextRequestsOnTheConnectionAlone() {
      // refusing a body that grows past the limit once failed the request late, and that failure
      // could hit the next request of the same HTTP/2 connection (answered 500)
      byte[] big =
          ("{\"kind\":\"AdmissionReview\",\"pad\":\"" + "x".repeat(100_000) + "\"}")
              .getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 20; i++) {
        HttpResponse<String> chunked =
            s.send(
                HttpRequest.newBuilder(s.uri(WebhookServer.VALIDATE))
                    .POST(
                        HttpRequest.BodyPublishers.ofInputStream(
                            () -> new ByteArrayInputStream(big)))
                    .timeout(Duration.ofSeconds(30))
                    .build());
        assertStatus(chunked, 413, "larger than the limit");
        assertBadRequest(
            s.post(WebhookServer.VALIDATE, "{\"kind\": \"AdmissionReview\","), "not valid JSON");
        assertBadRequest(s.post(WebhookServer.AUTHORIZE, ""), "empty");
      }
    }
  }

  @Nested
  class Operations {
    @Test
    void healthAndReadiness() {
      HttpResponse<String> h = s.get(WebhookServer.HEALTHZ);
      assertThat(h.statusCode()).isEqualTo(200);
      assertThat(h.body()).isEqualTo("ok\n");
      assertThat(s.get(WebhookServer.READYZ).statusCode()).isEqualTo(200);
    }

    @Test
    void metricsCountEvaluationsByModuleKindAndDecision() {
      String[] authn = {
        "module", "magic-authenticator", "kind", "authentication", "decision", "authenticated"
      };
      String[] denied = {"module", "magic-validator", "kind", "admission", "decision", "denied"};
      double authnBefore = s.metric("k8swasm_evaluations_total", authn);
      double deniedBefore = s.metric("k8swasm_evaluations_total", denied);
      double badBefore =
          s.metric("k8swasm_http_requests_seconds_count", "endpoint", "/validate", "code", "400");
      for (int i = 0; i < 3; i++) {
        s.review(WebhookServer.AUTHENTICATE, request("tokenreview-magic.json"));
      }
      s.review(WebhookServer.VALIDATE, request("admission-configmap-not-allowed.json"));
      s.post(WebhookServer.VALIDATE, "nope");
      s.awaitMetric(
          badBefore + 1,
          "k8swasm_http_requests_seconds_count",
          "endpoint",
          "/validate",
          "code",
          "400");
      String scrape = s.get(WebhookServer.METRICS).body();
      assertThat(Fixture.metric(scrape, "k8swasm_evaluations_total", authn))
          .isEqualTo(authnBefore + 3);
      assertThat(Fixture.metric(scrape, "k8swasm_evaluations_total", denied))
          .isEqualTo(deniedBefore + 1);
      assertThat(
              Fixture.metric(
                  scrape,
                  "k8swasm_http_requests_seconds_count",
                  "endpoint",
                  "/validate",
                  "code",
                  "400"))
          .isEqualTo(badBefore + 1);
      assertThat(
              Fixture.metric(
                  scrape,
                  "k8swasm_evaluation_duration_seconds_count",
                  "module",
                  "magic-authenticator"))
          .isGreaterThanOrEqualTo(3);
      assertThat(scrape)
          .contains(
              "k8swasm_evaluation_duration_seconds_bucket{decision=\"authenticated\","
                  + "kind=\"authentication\",module=\"magic-authenticator\",le=\"0.001\"}")
          .contains("k8swasm_reloads_total 0")
          .contains("k8swasm_reloads_failed_total 0")
          .contains("k8swasm_ready 1")
          .contains("k8swasm_config_generation 1")
          .contains("jvm_memory_used_bytes");
      HttpResponse<String> r = s.get(WebhookServer.METRICS);
      assertThat(r.headers().firstValue("Content-Type")).hasValue(Responses.PROMETHEUS_TEXT);
    }
  }

  static void assertBadRequest(HttpResponse<String> r, String reason) {
    assertStatus(r, 400, reason);
    assertThat(json(r).path("reason").asText()).isEqualTo("BadRequest");
  }

  static void assertStatus(HttpResponse<String> r, int code, String message) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(code);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode status = json(r);
    assertThat(status.path("kind").asText()).isEqualTo("Status");
    assertThat(status.path("code").asInt()).isEqualTo(code);
    assertThat(status.path("message").asText()).contains(message);
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }
}
