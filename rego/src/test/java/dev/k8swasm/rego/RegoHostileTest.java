package dev.k8swasm.rego;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hostile Rego modules and inputs end in the error catalogue's reasons, and the next call works.
 */
class RegoHostileTest {
  static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);

  static RegoPolicy testModule(Engine engine, Limits limits) {
    return RegoPolicy.builder(
            ModuleSpec.builder("opa_abi_test")
                .path(Corpus.module("hostile/opa_abi_test.wasm"))
                .engine(engine)
                .limits(limits)
                .build())
        .build();
  }

  static void assertReason(Runnable call, FailureReason reason, String detail) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            ModuleException.class,
            e -> {
              assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
              assertThat(e.getMessage()).contains(detail);
            });
  }

  static JsonNode allowed() {
    return Json.readTree(
        "[{\"result\":{\"allowed\":true,\"reason\":\"allowed by the test module\"}}]"
            .getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void anEvaluationThatLoopsIsStoppedAtTheDeadline(Engine engine) {
    Limits limits = Limits.builder().timeout(Duration.ofMillis(200)).build();
    try (RegoPolicy policy = testModule(engine, limits)) {
      assertReason(
          () -> policy.evaluate(policy.entrypointId("loop"), EMPTY), FailureReason.TIMEOUT, "");
      assertThat(policy.evaluate(policy.entrypointId("allow"), EMPTY)).isEqualTo(allowed());
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void memoryGrowthStopsAtTheLimit(Engine engine) {
    Limits limits = Limits.builder().maxMemoryBytes(4L << 20).build();
    try (RegoPolicy policy = testModule(engine, limits)) {
      assertReason(
          () -> policy.evaluate(policy.entrypointId("grow"), EMPTY),
          FailureReason.MEMORY_LIMIT,
          "memory limit");
      assertThat(policy.evaluate(policy.entrypointId("allow"), EMPTY)).isEqualTo(allowed());
    }
  }

  @Test
  void resultsAreBoundedAndCheckedAndAbortsAreModuleErrors() {
    Limits limits = Limits.builder().maxOutputBytes(10_000).build();
    try (RegoPolicy policy = testModule(Engine.COMPILER, limits)) {
      assertReason(
          () -> policy.evaluate(policy.entrypointId("long_result"), EMPTY),
          FailureReason.OUTPUT_LIMIT,
          "more than 10000 bytes (Limits.maxOutputBytes)");
      assertReason(
          () -> policy.evaluate(policy.entrypointId("bad_address"), EMPTY),
          FailureReason.BAD_OUTPUT,
          "outside memory");
      assertReason(
          () -> policy.evaluate(policy.entrypointId("abort"), EMPTY),
          FailureReason.MODULE_ERROR,
          "opa_abort: test abort");
      assertThat(policy.evaluate(policy.entrypointId("allow"), EMPTY)).isEqualTo(allowed());
    }
  }

  @Test
  void aConflictInARealPolicyAbortsTheEvaluation() {
    try (RegoPolicy policy = RegoPolicy.builder(Corpus.spec("opa/abort.wasm")).build()) {
      assertReason(
          () -> policy.evaluate("aborttestpkg/q", Json.readTree(EMPTY)),
          FailureReason.MODULE_ERROR,
          "opa_abort: ");
    }
  }

  @Test
  void hugeInputIsRefusedBeforeTheModuleSeesIt() {
    Limits limits = Limits.builder().maxRequestBytes(1 << 20).build();
    try (RegoPolicy policy =
        RegoPolicy.builder(
                ModuleSpec.builder("happy")
                    .path(Corpus.module("kubewarden/gatekeeper_always_happy_policy.wasm"))
                    .limits(limits)
                    .build())
            .build()) {
      byte[] huge = new byte[(1 << 20) + 10];
      java.util.Arrays.fill(huge, (byte) ' ');
      huge[0] = '{';
      huge[huge.length - 1] = '}';
      assertReason(
          () -> policy.evaluate(0, huge), FailureReason.BAD_REQUEST, "(Limits.maxRequestBytes)");
      // just under the limit: evaluated
      byte[] big = ("{\"review\":{\"x\":\"" + "a".repeat((1 << 20) - 40) + "\"}}").getBytes();
      assertThat(policy.evaluate(0, big)).isEqualTo(Json.readTree("[{\"result\":[]}]".getBytes()));
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void deeplyNestedInputEndsInACatalogueErrorOrAnAnswer(Engine engine) {
    Limits limits = Limits.builder().timeout(Duration.ofSeconds(5)).build();
    try (RegoPolicy policy =
        RegoPolicy.builder(
                ModuleSpec.builder("happy")
                    .path(Corpus.module("kubewarden/gatekeeper_always_happy_policy.wasm"))
                    .engine(engine)
                    .limits(limits)
                    .build())
            .build()) {
      int depth = 200_000;
      byte[] deep = ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8);
      try {
        JsonNode answer = policy.evaluate(0, deep);
        assertThat(answer).isEqualTo(Json.readTree("[{\"result\":[]}]".getBytes()));
      } catch (ModuleException e) {
        assertThat(e.reason())
            .as(e.getMessage())
            .isIn(FailureReason.TRAP, FailureReason.MEMORY_LIMIT, FailureReason.BAD_REQUEST);
      }
      assertThat(policy.evaluate(0, EMPTY))
          .isEqualTo(Json.readTree("[{\"result\":[]}]".getBytes()));
    }
  }

  @Test
  void snapshotAndFreshInstancesGiveTheSameAnswers() {
    for (InstanceStrategy strategy : InstanceStrategy.values()) {
      try (RegoPolicy policy =
          RegoPolicy.builder(
                  ModuleSpec.builder("builtins")
                      .path(Corpus.module("opa/policy_with_builtins.wasm"))
                      .strategy(strategy)
                      .build())
              .data(Json.readTree("{\"company_name\":\"ACME\"}".getBytes()))
              .build()) {
        assertThat(policy.strategy()).isEqualTo(strategy);
        for (int i = 0; i < 3; i++) {
          assertThat(
                  policy.evaluate(
                      "example", Json.readTree(("{\"user\":\"u" + i + "\"}").getBytes())))
              .isEqualTo(
                  Json.readTree(
                      ("[{\"result\":{\"allow\":false,\"message\":\"Hello There u"
                              + i
                              + "! Welcome to ACME\"}}]")
                          .getBytes()));
        }
      }
    }
  }
}
