package dev.k8swasm.authn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ReviewKind;
import dev.k8swasm.observe.Evaluation;
import dev.k8swasm.testing.FakeModule;
import dev.k8swasm.testing.RecordingListener;
import dev.k8swasm.testing.Resources;
import dev.k8swasm.testing.Wire;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModuleAuthenticatorTest {

  static FakeModule answering(String name, String statusJson) {
    return FakeModule.returning(
        name,
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"status\":"
            + statusJson
            + "}");
  }

  static final String JANE =
      "{\"authenticated\":true,\"user\":{\"username\":\"jane\",\"uid\":\"42\","
          + "\"groups\":[\"dev\"],\"extra\":{\"scopes\":[\"read\",\"write\"],\"e\":[]}}";

  static TokenReview request(String... audiences) {
    return TokenReview.forToken("tok", audiences.length == 0 ? null : List.of(audiences));
  }

  @Test
  void authenticatedUserIsMappedWithExtra() {
    ModuleAuthenticator authn = ModuleAuthenticator.of(answering("m", JANE + "}"));

    AuthenticationResult result = authn.authenticate(request());

    assertThat(result.authenticated()).isTrue();
    assertThat(result.authenticatedBy()).isEqualTo("m");
    assertThat(result.errors()).isEmpty();
    assertThat(result.audiences()).isEmpty();
    UserInfo user = result.user();
    assertThat(user.username()).isEqualTo("jane");
    assertThat(user.uid()).isEqualTo("42");
    assertThat(user.groups()).containsExactly("dev");
    assertThat(user.extra())
        .containsExactly(Map.entry("scopes", List.of("read", "write")), Map.entry("e", List.of()));
  }

  @Test
  void requestedAudiencesAreIntersectedWithTheModulesAudiences() {
    ModuleAuthenticator authn =
        ModuleAuthenticator.builder(answering("m", JANE + ",\"audiences\":[\"c\",\"b\",\"a\"]}"))
            .implicitAudiences(List.of("x"))
            .build();

    AuthenticationResult result = authn.authenticate(request("a", "b", "z"));

    assertThat(result.authenticated()).isTrue();
    assertThat(result.audiences()).containsExactly("a", "b");
  }

  @Test
  void anEmptyIntersectionWithTheModulesAudiencesIsUnauthenticatedWithoutError() {
    ModuleAuthenticator authn =
        ModuleAuthenticator.of(answering("m", JANE + ",\"audiences\":[\"other\"]}"));

    AuthenticationResult result = authn.authenticate(request("api"));

    assertThat(result.authenticated()).isFalse();
    assertThat(result.user()).isNull();
    assertThat(result.errors()).isEmpty();
  }

  @Test
  void withoutModuleAudiencesTheImplicitAudiencesAreIntersected() {
    ModuleAuthenticator authn =
        ModuleAuthenticator.builder(answering("m", JANE + "}"))
            .implicitAudiences(List.of("server", "api"))
            .build();

    AuthenticationResult result = authn.authenticate(request("api", "other"));

    assertThat(result.authenticated()).isTrue();
    assertThat(result.audiences()).containsExactly("api");
  }

  @Test
  void emptyModuleAudiencesCountAsNoneAndFallBackToTheImplicitOnes() {
    ModuleAuthenticator authn =
        ModuleAuthenticator.builder(answering("m", JANE + ",\"audiences\":[]}"))
            .implicitAudiences(List.of("server"))
            .build();

    assertThat(authn.authenticate(request("server")).audiences()).containsExactly("server");
    assertThat(authn.authenticate(request("elsewhere")).authenticated()).isFalse();
    assertThat(authn.authenticate(request("elsewhere")).errors()).isEmpty();
  }

  @Test
  void withoutImplicitAudiencesTheModuleVouchesForTheRequestedOnes() {
    ModuleAuthenticator authn = ModuleAuthenticator.of(answering("m", JANE + "}"));

    AuthenticationResult result = authn.authenticate(request("a", "b"));

    assertThat(result.authenticated()).isTrue();
    assertThat(result.audiences()).containsExactly("a", "b");
    assertThat(result.toStatus().audiences()).containsExactly("a", "b");
  }

  @Test
  void audienceMismatchComesBeforeTheModulesError() {
    // kube-apiserver checks audiences first: a mismatch is "not authenticated", not an error
    ModuleAuthenticator authn =
        ModuleAuthenticator.of(
            answering(
                "m", "{\"authenticated\":false,\"error\":\"boom\",\"audiences\":[\"other\"]}"));

    AuthenticationResult result = authn.authenticate(request("api"));

    assertThat(result.authenticated()).isFalse();
    assertThat(result.errors()).isEmpty();
  }

  @Test
  void notAuthenticatedWithAnErrorIsAnErrorNamingTheModule() {
    ModuleAuthenticator authn =
        ModuleAuthenticator.of(
            answering("magic", "{\"authenticated\":false,\"error\":\"token expired\"}"));

    AuthenticationResult result = authn.authenticate(request());

    assertThat(result.authenticated()).isFalse();
    assertThat(result.errors()).containsExactly("module 'magic': token expired");
    assertThat(result.errorMessage()).isEqualTo("module 'magic': token expired");
    assertThat(result.toStatus().error()).isEqualTo("module 'magic': token expired");
  }

  @Test
  void notAuthenticatedWithoutErrorIsJustUnauthenticated() {
    for (String status :
        List.of(
            "{\"authenticated\":false}",
            "{\"authenticated\":false,\"error\":\"\"}",
            "{}",
            "{\"user\":{\"username\":\"ignored\"}}")) {
      AuthenticationResult result =
          ModuleAuthenticator.of(answering("m", status)).authenticate(request());

      assertThat(result.authenticated()).as(status).isFalse();
      assertThat(result.errors()).as(status).isEmpty();
      assertThat(result.user()).as(status).isNull();
    }
  }

  @Test
  void authenticatedWithoutUserIsABadOutputError() {
    RecordingListener listener = new RecordingListener();
    ModuleAuthenticator authn =
        ModuleAuthenticator.builder(answering("m", "{\"authenticated\":true}"))
            .listener(listener)
            .build();

    AuthenticationResult result = authn.authenticate(request());

    assertThat(result.authenticated()).isFalse();
    assertThat(result.errors())
        .singleElement()
        .asString()
        .contains("module 'm'")
        .contains("authenticated without status.user")
        .contains("BAD_OUTPUT");
    assertThat(listener.evaluations())
        .singleElement()
        .satisfies(e -> assertThat(e.failure()).contains(FailureReason.BAD_OUTPUT));
  }

  @Test
  void moduleExceptionsBecomeErrors() {
    RecordingListener listener = new RecordingListener();
    ModuleAuthenticator authn =
        ModuleAuthenticator.builder(FakeModule.failing("slow", FailureReason.TIMEOUT, "ran 2s"))
            .listener(listener)
            .build();

    AuthenticationResult result = authn.authenticate(request());

    assertThat(result.authenticated()).isFalse();
    assertThat(result.errors()).containsExactly("module 'slow': ran 2s [TIMEOUT]");
    assertThat(listener.evaluations())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.decision()).isEqualTo(dev.k8swasm.observe.EvaluationDecision.ERROR);
              assertThat(e.failure()).contains(FailureReason.TIMEOUT);
              assertThat(e.module()).isEqualTo("slow");
            });
  }

  @Test
  void responsesThatAreNotTokenReviewsAreErrors() {
    AuthenticationResult wrongShape =
        ModuleAuthenticator.of(FakeModule.returning("m", "{\"status\":\"yes\"}"))
            .authenticate(request());
    AuthenticationResult noStatus =
        ModuleAuthenticator.of(
                FakeModule.returning("m", "{\"apiVersion\":\"authentication.k8s.io/v1\"}"))
            .authenticate(request());

    assertThat(wrongShape.errors())
        .singleElement()
        .asString()
        .contains("response is not a TokenReview")
        .contains("BAD_OUTPUT");
    assertThat(noStatus.errors())
        .singleElement()
        .asString()
        .contains("response has no status")
        .contains("module 'm'");
  }

  @Test
  void theModuleReceivesTheV1FormWithEverythingButTheStatus() {
    byte[] beta = Resources.bytes("wire/tokenreview-v1beta1.json");
    TokenReview review = Json.read(beta, TokenReview.class);
    FakeModule module = answering("m", JANE + "}");

    ModuleAuthenticator.of(module).authenticate(review);

    JsonNode expected = Wire.tree(beta);
    ((com.fasterxml.jackson.databind.node.ObjectNode) expected)
        .put("apiVersion", "authentication.k8s.io/v1")
        .remove("status");
    assertThat(module.onlyRequest()).isEqualTo(expected);
  }

  @Test
  void theModuleReceivesKindTokenReviewEvenWhenTheRequestLacksIt() {
    FakeModule module = answering("m", JANE + "}");

    ModuleAuthenticator.of(module)
        .authenticate(
            new TokenReview(null, null, null, new TokenReviewSpec("t", null, null), null, null));

    assertThat(module.onlyRequest().path("kind").asText()).isEqualTo("TokenReview");
    assertThat(module.onlyRequest().path("apiVersion").asText())
        .isEqualTo("authentication.k8s.io/v1");
    assertThat(module.onlyRequest().path("spec").path("token").asText()).isEqualTo("t");
  }

  @Test
  void theListenerReceivesEveryEvaluation() {
    RecordingListener listener = new RecordingListener();
    ModuleAuthenticator yes =
        ModuleAuthenticator.builder(answering("yes", JANE + "}")).listener(listener).build();
    ModuleAuthenticator no =
        ModuleAuthenticator.builder(answering("no", "{\"authenticated\":false}"))
            .listener(listener)
            .build();

    yes.authenticate(request());
    no.authenticate(request());

    assertThat(listener.evaluations())
        .extracting(
            Evaluation::module, Evaluation::kind, Evaluation::decisionLabel, Evaluation::failure)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "yes", ReviewKind.AUTHENTICATION, "authenticated", Optional.empty()),
            org.assertj.core.groups.Tuple.tuple(
                "no", ReviewKind.AUTHENTICATION, "unauthenticated", Optional.empty()));
    assertThat(listener.evaluations())
        .allSatisfy(e -> assertThat(e.duration().isNegative()).isFalse());
  }

  @Test
  void aFailingListenerDoesNotChangeTheResult() {
    ModuleAuthenticator authn =
        ModuleAuthenticator.builder(answering("m", JANE + "}"))
            .listener(
                e -> {
                  throw new IllegalStateException("listener bug");
                })
            .build();

    assertThat(authn.authenticate(request()).authenticated()).isTrue();
  }

  @Test
  void closingClosesTheModule() {
    FakeModule module = answering("m", JANE + "}");
    ModuleAuthenticator authn = ModuleAuthenticator.of(module);

    authn.close();

    assertThat(module.closeCount()).isEqualTo(1);
    assertThat(authn.name()).isEqualTo("m");
    assertThat(authn.toString()).contains("m");
  }
}
