package dev.k8swasm.server;

import static dev.k8swasm.server.Fixture.module;
import static dev.k8swasm.server.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.config.ConfigException;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * policy-server's {@code --continue-on-errors} ({@link
 * WebhookServer.Builder#continueOnPolicyErrors}): policies that fail to initialize answer every
 * request with a rejection, code 500, while the others are served; without it such a policies.yml
 * is refused.
 */
class ContinueOnPolicyErrorsTest {
  static final String UID = "705ab4f5-6393-11e8-b7cc-42010a800003";

  /** A policies.yml with a good policy, one whose settings are refused, one without module file. */
  static Path policies(Path dir, String goodSettings) {
    Path wapc = module("kubewarden/policy_wapc_init.wasm");
    return Fixture.write(
        dir.resolve("policies.yml"),
        "good:\n"
            + "  module: "
            + wapc
            + "\n"
            + "  settings:\n"
            + "    forbiddenLabels: [forbidden]\n"
            + "bad-settings:\n"
            + "  module: "
            + wapc
            + "\n"
            + "  message: never used\n"
            + "  settings:\n"
            + goodSettings
            + "missing:\n"
            + "  module: file://"
            + dir.resolve("missing.wasm").toAbsolutePath()
            + "\n"
            + "  policyMode: monitor\n"
            + "group-with-failed-member:\n"
            + "  expression: \"allow_all() || bad_member()\"\n"
            + "  message: rejected by the group\n"
            + "  policies:\n"
            + "    allow_all:\n"
            + "      module: "
            + wapc
            + "\n"
            + "    bad_member:\n"
            + "      module: "
            + wapc
            + "\n"
            + "      settings:\n"
            + "        forbiddenLabels: not-a-list\n"
            + "good-group:\n"
            + "  expression: \"member()\"\n"
            + "  message: rejected by the good group\n"
            + "  policies:\n"
            + "    member:\n"
            + "      module: "
            + wapc
            + "\n"
            + "      settings:\n"
            + "        forbiddenLabels: [forbidden]\n");
  }

  static Fixture.Running start(Path config, boolean continueOnErrors, Fixture.Flags flags)
      throws IOException {
    return start(config, continueOnErrors, flags, OpenTelemetry.noop());
  }

  static Fixture.Running start(
      Path config, boolean continueOnErrors, Fixture.Flags flags, OpenTelemetry openTelemetry)
      throws IOException {
    List<AccessLog.Entry> log = new CopyOnWriteArrayList<>();
    WebhookServer server =
        WebhookServer.builder(config)
            .overrides(flags.overrides())
            .accessLog(log::add)
            .openTelemetry(openTelemetry)
            .continueOnPolicyErrors(continueOnErrors)
            .build()
            .start();
    var chain = server.certificateChain();
    return new Fixture.Running(
        server, Fixture.client(List.of(chain.get(chain.size() - 1)), null, null), log);
  }

  /** The body of a request to {@code id} on {@code endpoint}, checked for 200. */
  static JsonNode response(Fixture.Running s, String endpoint, String id, String body) {
    return s.review(endpoint + "/" + id, body).path("response");
  }

  /** Checks the continue-on-errors rejection and returns its message. */
  static String initializationRejection(JsonNode response, String uid) {
    assertThat(response.path("uid").asText()).isEqualTo(uid);
    assertThat(response.path("allowed").isBoolean()).isTrue();
    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.path("status").path("code").asInt()).isEqualTo(500);
    assertThat(response.path("status").has("details")).isFalse();
    assertThat(response.has("patch")).isFalse();
    return response.path("status").path("message").asText();
  }

  @Test
  void withoutTheOptionThePoliciesFileIsRefusedWithEveryError(@TempDir Path dir) {
    Path file = policies(dir, "    rejectCode: not-a-number\n");
    assertThatThrownBy(() -> start(file, false, new Fixture.Flags()))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e -> {
              List<String> problems = ((ConfigException) e).problems();
              assertThat(problems).hasSize(3);
              assertThat(problems.get(0))
                  .startsWith(file + ": policy 'bad-settings': ")
                  .contains("rejectCode must be an integer");
              assertThat(problems.get(1))
                  .startsWith(file + ": policy 'missing': ")
                  .contains("missing.wasm");
              assertThat(problems.get(2))
                  .startsWith(file + ": policy 'group-with-failed-member': member 'bad_member': ")
                  .contains("forbiddenLabels must be a list of strings");
            });
  }

  @Test
  void withTheOptionTheOtherPoliciesAreServedAndTheFailedOnesRejectWithCode500(@TempDir Path dir)
      throws Exception {
    Path file = policies(dir, "    rejectCode: not-a-number\n");
    try (Fixture.Running s = start(file, true, new Fixture.Flags())) {
      String create = request("kubewarden/pod-create.json");
      String forbidden = request("kubewarden/pod-create-forbidden.json");
      String uid = Fixture.json(create).path("request").path("uid").asText();
      assertThat(s.get(WebhookServer.READINESS).statusCode()).isEqualTo(200);
      assertThat(s.server.ready()).isTrue();

      // the good policy and the good group answer as usual
      assertThat(response(s, "/validate", "good", create).path("allowed").asBoolean()).isTrue();
      JsonNode rejected = response(s, "/validate", "good", forbidden);
      assertThat(rejected.path("allowed").asBoolean(true)).isFalse();
      assertThat(rejected.path("status").path("message").asText())
          .isEqualTo("label forbidden is forbidden");
      assertThat(response(s, "/validate", "good-group", create).path("allowed").asBoolean())
          .isTrue();
      assertThat(
              response(s, "/validate", "good-group", forbidden)
                  .path("status")
                  .path("message")
                  .asText())
          .isEqualTo("rejected by the good group");

      // refused settings: rejected with the cause, the custom message does not apply
      String settings =
          initializationRejection(response(s, "/validate", "bad-settings", create), uid);
      assertThat(settings)
          .contains("the policy rejected its settings: rejectCode must be an integer")
          .doesNotContain("never used")
          .doesNotContain(dir.toString());
      assertThat(initializationRejection(response(s, "/audit", "bad-settings", create), uid))
          .isEqualTo(settings);

      // no module file: rejected in monitor mode too
      String missing = initializationRejection(response(s, "/validate", "missing", create), uid);
      assertThat(missing).contains("missing.wasm");
      assertThat(
              initializationRejection(
                  response(s, "/audit", "missing", forbidden),
                  Fixture.json(forbidden).path("request").path("uid").asText()))
          .isEqualTo(missing);
      JsonNode raw = s.review("/validate_raw/missing", "{\"request\":{\"uid\":\"raw-1\"}}");
      assertThat(raw.has("apiVersion")).isFalse();
      assertThat(initializationRejection(raw.path("response"), "raw-1")).isEqualTo(missing);

      // a group with a failed member: every request is rejected with the member's cause, even
      // when the expression would not need that member (allow_all() accepts)
      String group =
          initializationRejection(
              response(s, "/validate", "group-with-failed-member", create), uid);
      assertThat(group)
          .startsWith("policy group member 'bad_member' failed to initialize: ")
          .contains("forbiddenLabels must be a list of strings");
      assertThat(
              initializationRejection(
                  response(s, "/audit", "group-with-failed-member", create), uid))
          .isEqualTo(group);

      // policy-server's errors before evaluation stay
      assertThat(s.post("/validate/missing", "{}").statusCode()).isEqualTo(422);
      assertThat(s.post("/validate/missing", "{not json").statusCode()).isEqualTo(400);
      // the failed policies are no admission modules of /validate
      assertThat(
              s.review("/validate", forbidden)
                  .path("response")
                  .path("status")
                  .path("message")
                  .asText())
          .contains("label forbidden is forbidden");
    }
  }

  @Test
  void requestsToAFailedPolicyAreCountedAsPolicyServerCountsThem(@TempDir Path dir)
      throws Exception {
    Path file = policies(dir, "    rejectCode: not-a-number\n");
    try (Fixture.Running s = start(file, true, new Fixture.Flags())) {
      String create = request("kubewarden/pod-create.json");
      String error =
          response(s, "/validate", "bad-settings", create).path("status").path("message").asText();
      String[] labels = {
        "policy_name", "bad-settings",
        "initialization_error", error,
        "policy_mode", "",
        "accepted", "",
        "mutated", "",
        "request_origin", "",
        "error_code", "",
        "resource_kind", ""
      };
      double before = s.metric("kubewarden_policy_evaluations_total", labels);
      assertThat(before).isEqualTo(1);
      response(s, "/audit", "bad-settings", create);
      s.review("/validate_raw/bad-settings", "{\"request\":{\"uid\":\"raw-1\"}}");
      assertThat(s.metric("kubewarden_policy_evaluations_total", labels)).isEqualTo(before + 2);
      // counted, not timed (as policy-server)
      assertThat(
              s.metric(
                  "kubewarden_policy_evaluation_latency_milliseconds_count",
                  "policy_name",
                  "bad-settings"))
          .isZero();
      // every other evaluation has the label, empty
      response(s, "/validate", "good", create);
      assertThat(
              s.metric(
                  "kubewarden_policy_evaluations_total",
                  "policy_name",
                  "good",
                  "accepted",
                  "true",
                  "initialization_error",
                  ""))
          .isEqualTo(1);
      // our own request metrics count them as usual
      s.awaitMetric(
          4,
          "k8swasm_http_requests_seconds_count",
          "code",
          "200",
          "endpoint",
          "/validate/{module}");
      assertThat(
              s.metric(
                  "k8swasm_http_requests_seconds_count",
                  "code",
                  "200",
                  "endpoint",
                  "/validate/{module}"))
          .isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void overOpenTelemetryTheCountHasOnlyThePolicyNameAndTheInitializationError(@TempDir Path dir)
      throws Exception {
    Path file = policies(dir, "    rejectCode: not-a-number\n");
    InMemoryMetricReader metrics = InMemoryMetricReader.create();
    try (OpenTelemetrySdk sdk =
            OpenTelemetrySdk.builder()
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
                .build();
        Fixture.Running s = start(file, true, new Fixture.Flags(), sdk)) {
      String error =
          response(s, "/validate", "missing", request("kubewarden/pod-create.json"))
              .path("status")
              .path("message")
              .asText();
      var collected = metrics.collectAllMetrics();
      var total =
          collected.stream()
              .filter(m -> m.getName().equals("kubewarden_policy_evaluations_total"))
              .findFirst()
              .orElseThrow();
      assertThat(total.getLongSumData().getPoints())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.getValue()).isEqualTo(1);
                assertThat(p.getAttributes())
                    .isEqualTo(
                        Attributes.of(
                            AttributeKey.stringKey("policy_name"),
                            "missing",
                            AttributeKey.stringKey("initialization_error"),
                            error));
              });
      assertThat(collected)
          .noneSatisfy(
              m ->
                  assertThat(m.getName())
                      .isEqualTo("kubewarden_policy_evaluation_latency_milliseconds"));
    }
  }

  @Test
  void aReloadThatFixesAFailedPolicyMakesItAnswerAndABrokenFileIsStillRefused(@TempDir Path dir)
      throws Exception {
    Path file = policies(dir, "    rejectCode: not-a-number\n");
    Fixture.Flags flags = new Fixture.Flags();
    flags.watch = true;
    flags.reloadInterval = Duration.ofMillis(500);
    try (Fixture.Running s = start(file, true, flags)) {
      String forbidden = request("kubewarden/pod-create-forbidden.json");
      assertThat(
              response(s, "/validate", "bad-settings", forbidden)
                  .path("status")
                  .path("code")
                  .asInt())
          .isEqualTo(500);

      policies(dir, "    forbiddenLabels: [forbidden]\n    rejectCode: 403\n");
      Fixture.await(
          () ->
              response(s, "/validate", "bad-settings", forbidden)
                      .path("status")
                      .path("code")
                      .asInt()
                  == 403,
          "the reloaded policy answers");
      JsonNode fixed = response(s, "/validate", "bad-settings", forbidden);
      assertThat(fixed.path("allowed").asBoolean(true)).isFalse();
      // now initialized, its custom message applies
      assertThat(fixed.path("status").path("message").asText()).isEqualTo("never used");
      assertThat(s.server.generation()).isEqualTo(2);
      // the policies still failing keep answering with their cause
      assertThat(
              response(s, "/validate", "missing", forbidden)
                  .path("status")
                  .path("message")
                  .asText())
          .contains("missing.wasm");

      // a file that cannot be read is refused whole, option or not: generation 2 keeps serving
      Files.writeString(
          file, Files.readString(file).replace("  policyMode: monitor\n", "  bogus: 1\n"));
      Fixture.await(
          () -> s.metric("k8swasm_reloads_failed_total") >= 1, "the broken reload is refused");
      assertThat(s.server.generation()).isEqualTo(2);
      assertThat(
              response(s, "/validate", "bad-settings", forbidden)
                  .path("status")
                  .path("code")
                  .asInt())
          .isEqualTo(403);
    }
  }

  @Test
  void aPoliciesFileThatCannotBeReadIsRefusedWholeWithTheOptionToo(@TempDir Path dir) {
    Path file =
        Fixture.write(
            dir.resolve("policies.yml"),
            "typo:\n"
                + "  module: "
                + module("kubewarden/policy_wapc_init.wasm")
                + "\n"
                + "  settigns: {}\n"
                + "bad-expression:\n"
                + "  expression: \"member() &&\"\n"
                + "  message: rejected\n"
                + "  policies:\n"
                + "    member:\n"
                + "      module: file://"
                + dir.resolve("missing.wasm").toAbsolutePath()
                + "\n");
    assertThatThrownBy(() -> start(file, true, new Fixture.Flags()))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).problems())
                    .anySatisfy(p -> assertThat(p).contains("'typo'").contains("settigns")));
    Path expression =
        Fixture.write(
            dir.resolve("expression.yml"),
            "bad-expression:\n"
                + "  expression: \"member() &&\"\n"
                + "  message: rejected\n"
                + "  policies:\n"
                + "    member:\n"
                + "      module: file://"
                + dir.resolve("missing.wasm").toAbsolutePath()
                + "\n");
    assertThatThrownBy(() -> start(expression, true, new Fixture.Flags()))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).problems())
                    .singleElement()
                    .asString()
                    .startsWith(
                        expression + ": policy group 'bad-expression': field 'expression': "));
  }

  @Test
  void theServersOwnModulesStillFailTheConfiguration(@TempDir Path dir) {
    policies(dir, "    rejectCode: not-a-number\n");
    Path server =
        Fixture.write(
            dir.resolve("server.yaml"),
            "admission:\n  modules:\n"
                + Fixture.moduleEntry("own", dir.resolve("own-missing.wasm"))
                + "policies: policies.yml\n");
    assertThatThrownBy(() -> start(server, true, new Fixture.Flags()))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).problems())
                    .singleElement()
                    .asString()
                    .contains("own-missing.wasm"));
  }

  @Test
  void theWebhookConfigurationHasNoWebhookForAFailedPolicy(@TempDir Path dir) throws Exception {
    Path file = policies(dir, "    rejectCode: not-a-number\n");
    String ca = "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n";
    var target = new KubeConfigs.Target.Url("https://127.0.0.1:8443");
    assertThatThrownBy(
            () -> KubeConfigs.write(file, target, ca, false, b -> b, dir.resolve("refused")))
        .isInstanceOf(ConfigException.class);
    var written = KubeConfigs.write(file, target, ca, false, b -> b, true, dir.resolve("out"));
    String yaml = Files.readString(dir.resolve("out").resolve(KubeConfigs.VALIDATING));
    assertThat(written).contains(dir.resolve("out").resolve(KubeConfigs.VALIDATING));
    assertThat(yaml)
        .contains("/validate/good\n")
        .contains("/validate/good-group\n")
        .doesNotContain("/validate/bad-settings")
        .doesNotContain("/validate/missing")
        .doesNotContain("/validate/group-with-failed-member");
  }
}
