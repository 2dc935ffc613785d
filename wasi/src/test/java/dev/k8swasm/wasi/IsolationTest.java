package dev.k8swasm.wasi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * No state survives an evaluation: the stateful module, which remembers its previous request and
 * counts its calls, always sees a first call.
 */
class IsolationTest {
  private static final int CALLS = 10;

  private static PolicyModule stateful(Engine engine) {
    return TestModules.shared(TestModules.hostile("stateful"), engine);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void authenticationAlwaysStartsFresh(Engine engine) {
    for (int i = 0; i < CALLS; i++) {
      JsonNode user =
          stateful(engine)
              .evaluate(ReviewKind.AUTHENTICATION, Requests.tokenReview("token-" + i))
              .path("status")
              .path("user");
      assertThat(user.path("username").asText()).isEqualTo("previous:none");
      assertThat(user.path("uid").asText()).isEqualTo("1");
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void authorizationAlwaysStartsFresh(Engine engine) {
    for (int i = 0; i < CALLS; i++) {
      JsonNode status =
          stateful(engine)
              .evaluate(ReviewKind.AUTHORIZATION, Requests.subjectAccessReview("g" + i, "pods"))
              .path("status");
      assertThat(status.path("reason").asText()).isEqualTo("previous:none count:1");
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void admissionAlwaysStartsFresh(Engine engine) {
    for (int i = 0; i < CALLS; i++) {
      JsonNode response =
          stateful(engine)
              .evaluate(ReviewKind.ADMISSION, Requests.admissionReview("uid-" + i, "{}"))
              .path("response");
      assertThat(response.path("warnings"))
          .isEqualTo(JsonNodeFactory.instance.arrayNode().add("previous:none").add("count:1"));
    }
  }
}
