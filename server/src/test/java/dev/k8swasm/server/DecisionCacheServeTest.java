package dev.k8swasm.server;

import static dev.k8swasm.server.Fixture.exampleConfig;
import static dev.k8swasm.server.Fixture.module;
import static dev.k8swasm.server.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.config.CacheConfig;
import dev.k8swasm.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decision caches configured in serve's configuration file, end to end over HTTPS: the second
 * identical review is answered without evaluating the module, anything else is evaluated, and the
 * caches' hits and misses are metrics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DecisionCacheServeTest {
  static final String AUTHORIZER = "magic-authorizer";
  static final String AUTHENTICATOR = "magic-authenticator";

  Fixture.Running s;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    // authentication inline with its cache; authorization by path, the cache beside the path
    Path config =
        Fixture.write(
            dir.resolve("server.yaml"),
            "authentication:\n"
                + "  cache: {ttl: 1h}\n"
                + "  modules:\n"
                + Fixture.moduleEntry(AUTHENTICATOR, module("magic_authenticator.wasm"))
                + "authorization:\n"
                + "  path: "
                + exampleConfig("authorization.yaml")
                + "\n"
                + "  cache: {authorizedTtl: 1h, unauthorizedTtl: 1h, maxEntries: 100}\n");
    s = Fixture.start(config, new Fixture.Flags());
  }

  @AfterAll
  void stop() {
    s.close();
  }

  double evaluations(String module) {
    return s.metric("k8swasm_evaluations_total", "module", module);
  }

  double lookups(String kind, String result) {
    return s.metric("k8swasm_decision_cache_requests_total", "kind", kind, "result", result);
  }

  /** sar-configmaps.json for another user. */
  static String reviewFor(String user) {
    ObjectNode sar = (ObjectNode) Fixture.json(request("sar-configmaps.json"));
    ((ObjectNode) sar.path("spec")).put("user", user);
    return sar.toString();
  }

  @Test
  void theSecondIdenticalAuthorizationIsNotEvaluated() {
    String review = reviewFor("cache-test-user");
    double before = evaluations(AUTHORIZER);
    double hits = lookups("authorization", "hit");
    double misses = lookups("authorization", "miss");

    JsonNode first = s.review(WebhookServer.AUTHORIZE, review);
    JsonNode second = s.review(WebhookServer.AUTHORIZE, review);

    assertThat(first.path("status").path("allowed").asBoolean()).isTrue();
    assertThat(second).isEqualTo(first);
    assertThat(evaluations(AUTHORIZER)).as("the module ran once").isEqualTo(before + 1);
    assertThat(lookups("authorization", "hit")).isEqualTo(hits + 1);
    assertThat(lookups("authorization", "miss")).isEqualTo(misses + 1);
  }

  @Test
  void aReviewThatDiffersIsEvaluated() {
    double before = evaluations(AUTHORIZER);

    s.review(WebhookServer.AUTHORIZE, reviewFor("someone"));
    JsonNode other = s.review(WebhookServer.AUTHORIZE, reviewFor("someone-else"));
    ObjectNode pods = (ObjectNode) Fixture.json(reviewFor("someone"));
    ((ObjectNode) pods.path("spec").path("resourceAttributes")).put("resource", "pods");
    JsonNode denied = s.review(WebhookServer.AUTHORIZE, pods.toString());

    assertThat(other.path("status").path("allowed").asBoolean()).isTrue();
    assertThat(denied.path("status").path("allowed").asBoolean()).isFalse();
    assertThat(evaluations(AUTHORIZER)).isEqualTo(before + 3);
  }

  @Test
  void theSecondIdenticalTokenReviewIsNotEvaluatedAndTheTokenIsNowhere() {
    String token = "cache-test-token-7f3a9c";
    ObjectNode review = (ObjectNode) Fixture.json(request("tokenreview-other.json"));
    ((ObjectNode) review.path("spec")).put("token", token);
    String magic = request("tokenreview-magic.json");
    s.review(WebhookServer.AUTHENTICATE, magic);
    double before = evaluations(AUTHENTICATOR);
    double hits = lookups("authentication", "hit");

    JsonNode first = s.review(WebhookServer.AUTHENTICATE, review.toString());
    JsonNode second = s.review(WebhookServer.AUTHENTICATE, review.toString());
    JsonNode cachedMagic = s.review(WebhookServer.AUTHENTICATE, magic);

    assertThat(first.path("status").path("authenticated").asBoolean()).isFalse();
    assertThat(second).isEqualTo(first);
    assertThat(cachedMagic.path("status").path("authenticated").asBoolean()).isTrue();
    assertThat(evaluations(AUTHENTICATOR)).isEqualTo(before + 1);
    assertThat(lookups("authentication", "hit")).isEqualTo(hits + 2);
    String scrape = s.get(WebhookServer.METRICS).body();
    assertThat(scrape).doesNotContain(token).doesNotContain("magic-token");
    assertThat(s.log.toString()).doesNotContain(token);
    assertThat(second.toString()).doesNotContain(token);
  }

  @Test
  void theCacheBesideAPathMayNotAlsoBeInTheFile(@TempDir Path dir) {
    Path list =
        Fixture.write(
            dir.resolve("authz.yaml"),
            "cache: true\nmodules:\n"
                + Fixture.moduleEntry(AUTHORIZER, module("magic_authorizer.wasm")));
    Path config =
        Fixture.write(
            dir.resolve("server.yaml"), "authorization:\n  path: authz.yaml\n  cache: true\n");

    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> ServerConfig.read(config));

    assertThat(e.problems())
        .containsExactly(
            config
                + ": authorization: 'cache' is configured both here and in "
                + list
                + "; keep one");
  }

  @Test
  void theCacheBesideAPathIsReadLikeAnyOther(@TempDir Path dir) {
    Path config =
        Fixture.write(
            dir.resolve("server.yaml"),
            "authorization:\n  path: "
                + exampleConfig("authorization.yaml")
                + "\n  cache: {authorizedTtl: 90s}\n"
                + "authentication:\n  path: "
                + exampleConfig("authentication.yaml")
                + "\n  cache: {tll: 1m}\n");

    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> ServerConfig.read(config));
    assertThat(e.problems())
        .containsExactly(
            config + ": authentication: cache: unknown field 'tll' (did you mean 'ttl'?)");

    Fixture.write(
        config,
        "authorization:\n  path: "
            + exampleConfig("authorization.yaml")
            + "\n  cache: {authorizedTtl: 90s}\n  modules: []\n");
    ConfigException both =
        catchThrowableOfType(ConfigException.class, () -> ServerConfig.read(config));
    assertThat(both.problems().get(0))
        .isEqualTo(
            config
                + ": authorization: give either 'path' or the module list inline, not both (found"
                + " path, cache, modules; only 'cache' may be given beside 'path')");

    Fixture.write(
        config,
        "authorization:\n  path: "
            + exampleConfig("authorization.yaml")
            + "\n  cache: {authorizedTtl: 90s}\n");
    CacheConfig cache =
        ServerConfig.read(config).authorization().orElseThrow().cache().orElseThrow();
    assertThat(cache.authorizedTtl()).contains(Duration.ofSeconds(90));
  }

  @Test
  void anAdmissionSectionWithACacheIsRefusedAtStart(@TempDir Path dir) {
    Path config =
        Fixture.write(
            dir.resolve("server.yaml"),
            "admission:\n  cache: true\n  modules:\n"
                + Fixture.moduleEntry(
                    "magic-validator",
                    module("magic_validator.wasm"),
                    "rules: [{operations: [CREATE], apiGroups: [\"\"], apiVersions: [v1],"
                        + " resources: [configmaps]}]"));

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> Fixture.start(config, new Fixture.Flags()).close());

    assertThat(e.getMessage()).contains("admission decisions are never cached");
  }

  @Test
  void anAdmissionSectionWithACacheIsRefusedBesideAPoliciesFileToo(@TempDir Path dir) {
    Fixture.write(
        dir.resolve("policies.yml"),
        "p:\n  module: " + module("kubewarden/policy_wapc_init.wasm") + "\n");
    Path config =
        Fixture.write(
            dir.resolve("server.yaml"),
            "policies: policies.yml\nadmission:\n  cache: true\n  modules:\n"
                + Fixture.moduleEntry(
                    "magic-validator",
                    module("magic_validator.wasm"),
                    "rules: [{operations: [CREATE], apiGroups: [\"\"], apiVersions: [v1],"
                        + " resources: [configmaps]}]"));

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> Fixture.start(config, new Fixture.Flags()).close());

    assertThat(e.getMessage()).contains("admission decisions are never cached");
  }
}
