package dev.k8swasm.authn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import dev.k8swasm.testing.Resources;
import dev.k8swasm.testing.Wire;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenReviewWireTest {

  @Test
  void v1DocumentRoundTripsLosslesslyAndIsModelled() {
    TokenReview review = Wire.roundTrip("tokenreview-v1.json", TokenReview.class);

    assertThat(review.apiVersion()).isEqualTo(TokenReview.V1);
    assertThat(review.kind()).isEqualTo(TokenReview.KIND);
    assertThat(review.metadata().path("name").asText()).isEqualTo("review-1");
    assertThat(review.token()).isEqualTo("eyJhbGciOiJSUzI1NiJ9.secret-payload.signature");
    assertThat(review.audiences())
        .containsExactly("https://kubernetes.default.svc.cluster.local", "api");
    assertThat(review.spec().additionalProperties()).containsOnlyKeys("futureSpecField");
    assertThat(review.additionalProperties())
        .containsOnlyKeys("futureTopField", "bigNumber", "aFloat", "aNull");

    TokenReviewStatus status = review.status();
    assertThat(status.authenticated()).isTrue();
    assertThat(status.audiences()).containsExactly("api");
    assertThat(status.error()).isEqualTo("a partial error next to a success");
    assertThat(status.additionalProperties()).containsOnlyKeys("futureStatusField");

    UserInfo user = status.user();
    assertThat(user.username()).isEqualTo("jane@example.com");
    assertThat(user.uid()).isEqualTo("42");
    assertThat(user.groups()).containsExactly("developers", "system:authenticated");
    assertThat(user.extra())
        .containsEntry("scopes.authorization.example.com", List.of("read", "write"))
        .containsEntry("empty", List.of())
        .hasSize(3);
    assertThat(user.additionalProperties()).containsOnlyKeys("futureUserField");
  }

  @Test
  void v1beta1DocumentRoundTripsLosslesslyAndKeepsItsApiVersion() {
    TokenReview review = Wire.roundTrip("tokenreview-v1beta1.json", TokenReview.class);

    assertThat(review.apiVersion()).isEqualTo(TokenReview.V1BETA1);
    assertThat(review.token()).isEqualTo("v1beta1-secret-token");
    assertThat(review.status().authenticated()).isFalse();
    assertThat(review.status().authenticatedOrFalse()).isFalse();
    // absent and empty differ on the wire and are kept apart
    assertThat(review.status().audiences()).isEmpty();
    assertThat(review.status().user().groups()).isNotNull().isEmpty();
    assertThat(review.status().user().extra()).isNotNull().isEmpty();
    assertThat(review.status().user().uid()).isNull();
    assertThat(review.additionalProperties()).containsOnlyKeys("topUnknown");
  }

  @Test
  void theRequestKubernetesSendsRoundTrips() {
    // what kube-apiserver's token webhook sends: empty status struct, creationTimestamp null
    String json =
        "{\"kind\":\"TokenReview\",\"apiVersion\":\"authentication.k8s.io/v1beta1\","
            + "\"metadata\":{\"creationTimestamp\":null},"
            + "\"spec\":{\"token\":\"t\"},\"status\":{\"user\":{}}}";
    TokenReview review = Json.read(json.getBytes(StandardCharsets.UTF_8), TokenReview.class);

    assertThat(Wire.tree(Json.write(review)))
        .isEqualTo(Wire.tree(json.getBytes(StandardCharsets.UTF_8)));
    assertThat(review.audiences()).isEmpty();
    assertThat(review.status().authenticatedOrFalse()).isFalse();
  }

  @Test
  void yamlIsReadThroughReadTreeAndConvert() {
    String yaml =
        """
        apiVersion: authentication.k8s.io/v1
        kind: TokenReview
        spec:
          token: yaml-token
          audiences: [a, b]
          yamlOnly: {x: 1}
        status:
          authenticated: true
          user:
            username: yaml-user
            extra:
              k: [v]
        """;
    JsonNode tree = Json.readTree(yaml.getBytes(StandardCharsets.UTF_8));
    TokenReview review = Json.convert(tree, TokenReview.class);

    assertThat(review.token()).isEqualTo("yaml-token");
    assertThat(review.audiences()).containsExactly("a", "b");
    assertThat(review.spec().additionalProperties()).containsOnlyKeys("yamlOnly");
    assertThat(review.status().user().extra()).containsEntry("k", List.of("v"));
    assertThat(Json.toTree(review)).isEqualTo(tree);
  }

  @Test
  void yamlAndJsonFormsOfTheSameDocumentAgree() {
    JsonNode json = Wire.tree("tokenreview-v1.json");
    byte[] yaml;
    try {
      yaml = Json.yamlWriter().writeValueAsBytes(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError(e);
    }
    TokenReview fromYaml = Json.convert(Json.readTree(yaml), TokenReview.class);
    TokenReview fromJson =
        Json.read(Resources.bytes("wire/tokenreview-v1.json"), TokenReview.class);

    assertThat(fromYaml).isEqualTo(fromJson);
  }

  @Test
  void specToStringNeverShowsTheToken() {
    TokenReview review = Json.read(Resources.bytes("wire/tokenreview-v1.json"), TokenReview.class);
    String token = review.token();

    assertThat(review.spec().toString()).doesNotContain(token).contains("<redacted>");
    assertThat(review.toString()).doesNotContain(token).doesNotContain("secret-payload");
    assertThat(new TokenReviewSpec("abc123", List.of("aud"), Map.of()).toString())
        .doesNotContain("abc123")
        .contains("aud");
    assertThat(new TokenReviewSpec(null, null, null).toString()).contains("token=null");
  }

  @Test
  void forTokenBuildsAV1RequestWithoutStatus() {
    TokenReview review = TokenReview.forToken("tok", List.of("api"));

    assertThat(Json.toTree(review))
        .isEqualTo(
            Wire.tree(
                ("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\","
                        + "\"spec\":{\"token\":\"tok\",\"audiences\":[\"api\"]}}")
                    .getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void withoutTokenDropsOnlyTheToken() {
    TokenReview review = Json.read(Resources.bytes("wire/tokenreview-v1.json"), TokenReview.class);

    TokenReview stripped = review.withoutToken();

    assertThat(stripped.token()).isNull();
    assertThat(stripped.audiences()).isEqualTo(review.audiences());
    assertThat(stripped.spec().additionalProperties())
        .isEqualTo(review.spec().additionalProperties());
    assertThat(stripped.withStatus(null).status()).isNull();
    assertThat(stripped.status()).isEqualTo(review.status());
    assertThat(stripped.metadata()).isEqualTo(review.metadata());
    assertThat(stripped.additionalProperties()).isEqualTo(review.additionalProperties());
    assertThat(Json.writeString(stripped)).doesNotContain("secret-payload");
    TokenReview noSpec = new TokenReview(TokenReview.V1, TokenReview.KIND, null, null, null, null);
    assertThat(noSpec.withoutToken()).isSameAs(noSpec);
  }

  @Test
  void audiencesAndTokenAreSafeWithoutSpec() {
    TokenReview review = new TokenReview(TokenReview.V1, TokenReview.KIND, null, null, null, null);

    assertThat(review.token()).isNull();
    assertThat(review.audiences()).isEmpty();
    assertThat(review.additionalProperties()).isEmpty();
  }

  @Test
  void withStatusAndWithApiVersionKeepEverythingElse() {
    TokenReview review =
        Json.read(Resources.bytes("wire/tokenreview-v1beta1.json"), TokenReview.class);
    TokenReviewStatus status =
        new TokenReviewStatus(true, UserInfo.of("u", "1", null), null, null, null);

    TokenReview answered = review.withStatus(status);
    assertThat(answered.status()).isEqualTo(status);
    assertThat(answered.apiVersion()).isEqualTo(TokenReview.V1BETA1);
    assertThat(answered.metadata()).isEqualTo(review.metadata());
    assertThat(answered.spec()).isEqualTo(review.spec());
    assertThat(answered.additionalProperties()).isEqualTo(review.additionalProperties());

    TokenReview v1 = review.withApiVersion(TokenReview.V1);
    assertThat(v1.apiVersion()).isEqualTo(TokenReview.V1);
    assertThat(v1.status()).isEqualTo(review.status());
  }

  @Test
  void wireTypesAreImmutableCopies() {
    java.util.ArrayList<String> groups = new java.util.ArrayList<>(List.of("g"));
    java.util.Map<String, List<String>> extra = new java.util.LinkedHashMap<>();
    extra.put("k", new java.util.ArrayList<>(List.of("v")));
    UserInfo user = new UserInfo("u", null, groups, extra, null);
    groups.add("changed");
    extra.get("k").add("changed");
    extra.put("k2", List.of());

    assertThat(user.groups()).containsExactly("g");
    assertThat(user.extra()).containsOnlyKeys("k");
    assertThat(user.extra().get("k")).containsExactly("v");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> user.groups().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> user.extra().get("k").add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(user.withExtra(Map.of("e", List.of("1"))).extra()).containsOnlyKeys("e");
  }
}
