package dev.k8swasm.examples.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.authn.UserInfo;
import dev.k8swasm.config.Chains;
import dev.k8swasm.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AccessControlTest {
  private static final Path CONFIG = Path.of("config");
  private static AccessControl server;

  @BeforeAll
  static void load() {
    server =
        new AccessControl(
            Chains.authenticator(CONFIG.resolve("authentication.yaml")),
            Chains.authorizer(CONFIG.resolve("authorization.yaml")),
            Chains.admission(CONFIG.resolve("admission.yaml")));
  }

  @AfterAll
  static void close() {
    server.authn().close();
    server.authz().close();
    server.admission().close();
  }

  @Test
  void mainRunsEveryDecision() {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      AccessControl.main(new String[] {"config"});
    } finally {
      System.setOut(out);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            "user: magic-user [magic-group]",
            "GET configmaps: true",
            "GET pods: false",
            "create: allowed=true",
            "patch: [{\"op\":\"add\",\"path\":\"/data/magic-value\",\"value\":\"foobar\"}]",
            "webhook: {\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\","
                + "\"spec\":{\"resourceAttributes\":{\"verb\":\"delete\",\"resource\":\"configmaps\"},"
                + "\"user\":\"alice\",\"groups\":[\"magic-group\"]},"
                + "\"status\":{\"allowed\":true,\"reason\":\"magic-group may access configmaps\"}}");
  }

  @Test
  void unknownTokensHaveNoUser() {
    assertThat(server.user("wrong-token")).isEmpty();
  }

  @Test
  void theValidatorDenies() {
    UserInfo user = UserInfo.of("alice", null, List.of("magic-group"));
    var answer =
        server.admitCreate(
            user,
            "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"data\": {\"not-allowed-value\": \"x\"}}");
    assertThat(answer.allowed()).isFalse();
    assertThat(answer.response().status().code()).isEqualTo(403);
  }

  @Test
  void webhooksAnswerAsKubeApiServerExpects() {
    JsonNode token =
        Json.readTree(
            server.webhook(
                "/authenticate", Json.write(TokenReview.forToken("magic-token", List.of()))));
    assertThat(token.path("status").path("user").path("username").asText()).isEqualTo("magic-user");
    assertThat(token.path("spec").has("token")).isFalse();

    byte[] admission =
        """
        {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
         "request": {"uid": "u-1", "operation": "CREATE",
           "kind": {"group": "", "version": "v1", "kind": "ConfigMap"},
           "resource": {"group": "", "version": "v1", "resource": "configmaps"},
           "object": {"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": "b"}}}}
        """
            .getBytes(StandardCharsets.UTF_8);
    JsonNode answer = Json.readTree(server.webhook("/admit", admission));
    assertThat(answer.has("request")).isFalse();
    assertThat(answer.path("response").path("uid").asText()).isEqualTo("u-1");
    assertThat(answer.path("response").path("allowed").asBoolean()).isTrue();
    assertThat(answer.path("response").path("patchType").asText()).isEqualTo("JSONPatch");

    assertThatThrownBy(() -> server.webhook("/admit", "{\"apiVersion\": 1".getBytes()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a valid AdmissionReview");
    assertThatThrownBy(() -> server.webhook("/admit", "{\"kind\": \"AdmissionReview\"}".getBytes()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the AdmissionReview has no request");
  }
}
