package dev.k8swasm.wasi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The four magic example modules answer as the module contract describes, on both engines. */
class MagicModulesTest {

  private static PolicyModule module(String name, Engine engine) {
    return TestModules.shared(TestModules.example(name), engine);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void authenticatorAuthenticatesTheMagicToken(Engine engine) {
    JsonNode review =
        module("magic_authenticator", engine)
            .evaluate(ReviewKind.AUTHENTICATION, Requests.tokenReview("magic-token"));

    assertThat(review.path("kind").asText()).isEqualTo("TokenReview");
    JsonNode status = review.path("status");
    assertThat(status.path("authenticated").asBoolean()).isTrue();
    assertThat(status.path("user").path("username").asText()).isEqualTo("magic-user");
    assertThat(status.path("user").path("uid").asText()).isEqualTo("0");
    assertThat(status.path("user").path("groups"))
        .isEqualTo(JsonNodeFactory.instance.arrayNode().add("magic-group"));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void authenticatorRejectsOtherTokens(Engine engine) {
    JsonNode review =
        module("magic_authenticator", engine)
            .evaluate(ReviewKind.AUTHENTICATION, Requests.tokenReview("some-other-token"));

    assertThat(review.path("status").path("authenticated").asBoolean(true)).isFalse();
    assertThat(review.path("status").has("user")).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void authenticatorSupportsOnlyAuthentication(Engine engine) {
    assertThat(module("magic_authenticator", engine).kinds())
        .containsExactly(ReviewKind.AUTHENTICATION);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void authorizerAllowsTheMagicGroupOnConfigMaps(Engine engine) {
    JsonNode review =
        module("magic_authorizer", engine)
            .evaluate(
                ReviewKind.AUTHORIZATION,
                Requests.subjectAccessReview("magic-group", "configmaps"));

    assertThat(review.path("status").path("allowed").asBoolean()).isTrue();
    assertThat(review.path("status").path("denied").asBoolean(false)).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void authorizerHasNoOpinionOtherwise(Engine engine) {
    PolicyModule authorizer = module("magic_authorizer", engine);

    for (byte[] request :
        new byte[][] {
          Requests.subjectAccessReview("magic-group", "pods"),
          Requests.subjectAccessReview("other-group", "configmaps"),
          Requests.nonResourceAccessReview()
        }) {
      JsonNode status = authorizer.evaluate(ReviewKind.AUTHORIZATION, request).path("status");
      assertThat(status.path("allowed").asBoolean(true)).isFalse();
      assertThat(status.path("denied").asBoolean(false)).isFalse();
    }
    assertThat(authorizer.kinds()).containsExactly(ReviewKind.AUTHORIZATION);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void validatorAllowsAcceptableConfigMaps(Engine engine) {
    JsonNode response =
        module("magic_validator", engine)
            .evaluate(ReviewKind.ADMISSION, Requests.admissionReview("uid-1", "{\"a\":\"b\"}"))
            .path("response");

    assertThat(response.path("uid").asText()).isEqualTo("uid-1");
    assertThat(response.path("allowed").asBoolean()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void validatorDeniesTheNotAllowedKey(Engine engine) {
    JsonNode response =
        module("magic_validator", engine)
            .evaluate(
                ReviewKind.ADMISSION,
                Requests.admissionReview("uid-2", "{\"not-allowed-value\":\"x\"}"))
            .path("response");

    assertThat(response.path("uid").asText()).isEqualTo("uid-2");
    assertThat(response.path("allowed").asBoolean(true)).isFalse();
    assertThat(response.path("status").path("message").asText())
        .isEqualTo("value 'not-allowed-value' not allowed in configmap");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void mutatorReturnsTheFullObjectWithTheMagicValue(Engine engine) {
    JsonNode response =
        module("magic_mutator", engine)
            .evaluate(
                ReviewKind.ADMISSION,
                Requests.admissionReview("uid-3", "{\"keep\":\"me\",\"magic-value\":\"old\"}"))
            .path("response");

    assertThat(response.path("uid").asText()).isEqualTo("uid-3");
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.path("patchType").asText()).isEqualTo("Full");
    JsonNode object = Json.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
    assertThat(object.path("kind").asText()).isEqualTo("ConfigMap");
    assertThat(object.path("metadata").path("name").asText()).isEqualTo("cm");
    assertThat(object.path("data").path("magic-value").asText()).isEqualTo("foobar");
    assertThat(object.path("data").path("keep").asText()).isEqualTo("me");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void mutatorCreatesMissingData(Engine engine) {
    JsonNode response =
        module("magic_mutator", engine)
            .evaluate(ReviewKind.ADMISSION, Requests.admissionReview("uid-4", null))
            .path("response");

    JsonNode object = Json.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
    assertThat(object.path("data").path("magic-value").asText()).isEqualTo("foobar");
  }
}
