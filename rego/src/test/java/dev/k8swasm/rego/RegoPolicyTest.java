package dev.k8swasm.rego;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.rego.builtins.Builtins;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegoPolicyTest {

  static JsonNode json(String text) {
    return Json.readTree(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void describesTheModule() {
    try (RegoPolicy rbac = RegoPolicy.builder(Corpus.spec("opa/rbac.wasm")).build();
        RegoPolicy builtins =
            RegoPolicy.builder(Corpus.spec("opa/policy_with_builtins.wasm")).build();
        RegoPolicy old =
            RegoPolicy.builder(Corpus.spec("kubewarden/no-default-namespace-rego.wasm")).build()) {
      assertThat(rbac.entrypoints())
          .containsEntry("app/rbac", 0)
          .containsEntry("app/rbac/allow", 1);
      assertThat(rbac.abiVersion()).isEqualTo("1.3");
      assertThat(rbac.requiredBuiltins()).isEmpty();
      assertThat(builtins.requiredBuiltins()).containsExactly("sprintf");
      assertThat(old.abiVersion()).isEqualTo("1.1"); // no opa_eval: the eval-context path
      assertThat(rbac.toString()).contains("rbac").contains("1.3");
    }
  }

  @Test
  void evaluatesWithDataOnEitherAbiPath() {
    try (RegoPolicy fast =
            RegoPolicy.builder(Corpus.spec("opa/rbac.wasm"))
                .data(
                    json(
                        "{\"user_roles\":{\"bob\":[\"reader\"]},"
                            + "\"role_grants\":{\"reader\":[{\"action\":\"read\",\"type\":\"dog\"}]}}"))
                .build();
        RegoPolicy slow =
            RegoPolicy.builder(Corpus.spec("kubewarden/no-default-namespace-rego.wasm")).build()) {
      assertThat(
              fast.evaluate(
                  "app/rbac", json("{\"user\":\"bob\",\"action\":\"read\",\"type\":\"dog\"}")))
          .isEqualTo(
              json(
                  "[{\"result\":{\"allow\":true,"
                      + "\"user_is_granted\":[{\"action\":\"read\",\"type\":\"dog\"}]}}]"));
      assertThat(
              fast.evaluate(
                  "app/rbac/allow",
                  json("{\"user\":\"bob\",\"action\":\"write\",\"type\":\"dog\"}")))
          .isEqualTo(json("[{\"result\":false}]"));
      assertThat(
              slow.evaluate(
                  "policy/main",
                  json(
                      "{\"request\":{\"uid\":\"x\",\"object\":{\"metadata\":{\"namespace\":\"a\"}}}}")))
          .isEqualTo(
              json(
                  "[{\"result\":{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
                      + "\"response\":{\"uid\":\"x\",\"allowed\":true}}}]"));
    }
  }

  @Test
  void aModuleNeedingAnUnknownBuiltinFailsAtLoadAndRunsWhenItIsProvided() {
    ModuleSpec spec = Corpus.spec("opa/simplebuiltincall.wasm");
    assertThatThrownBy(() -> RegoPolicy.builder(spec).build())
        .isInstanceOfSatisfying(
            ModuleException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.LOAD_FAILED);
              assertThat(e.getMessage())
                  .contains("builtin custom.func is not supported")
                  .contains("sprintf");
            });
    Builtins custom =
        Builtins.standard(Clock.systemUTC())
            .with("custom.func", args -> TextNode.valueOf("hello " + args[0].textValue()));
    try (RegoPolicy policy = RegoPolicy.builder(spec).builtins(custom).build()) {
      assertThat(policy.evaluate("builtincallpkg", json("{}")))
          .isEqualTo(json("[{\"result\":{\"result\":\"hello Jane\",\"someep\":false}}]"));
    }
  }

  @Test
  void aFailingBuiltinIsAModuleError() {
    Builtins failing =
        Builtins.none()
            .with(
                "custom.func",
                args -> {
                  throw new dev.k8swasm.rego.builtins.BuiltinException("no Jane here");
                });
    try (RegoPolicy policy =
        RegoPolicy.builder(Corpus.spec("opa/simplebuiltincall.wasm")).builtins(failing).build()) {
      assertThatThrownBy(() -> policy.evaluate("builtincallpkg", json("{}")))
          .isInstanceOfSatisfying(
              ModuleException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(FailureReason.MODULE_ERROR);
                assertThat(e.getMessage()).contains("custom.func: no Jane here");
              });
      // the failed instance was thrown away; the policy still answers
      assertThatThrownBy(() -> policy.evaluate("builtincallpkg", json("{}")))
          .hasMessageContaining("no Jane here");
    }
  }

  @Test
  void unknownEntrypointsAndBrokenModulesAreClearErrors() {
    try (RegoPolicy policy = RegoPolicy.builder(Corpus.spec("opa/rbac.wasm")).build()) {
      assertThatThrownBy(() -> policy.evaluate("app/nope", json("{}")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("has no entrypoint 'app/nope' (it has app/rbac, app/rbac/allow)");
    }
    ModuleSpec notOpa =
        ModuleSpec.builder("magic")
            .path(Corpus.dir().getParent().resolve("magic_validator.wasm"))
            .build();
    assertThatThrownBy(() -> RegoPolicy.builder(notOpa).build())
        .isInstanceOfSatisfying(
            ModuleException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.LOAD_FAILED);
              assertThat(e.getMessage())
                  .contains("OPA Wasm ABI")
                  .contains("does not export opa_malloc");
            });
    ModuleSpec garbage =
        ModuleSpec.builder("garbage")
            .bytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 2, 99})
            .build();
    assertThatThrownBy(() -> RegoPolicy.builder(garbage).build())
        .hasMessageContaining("not an OPA Wasm module: section 2 runs past the end of the module");
  }

  @Test
  void dataThatIsNotAnObjectStillLoadsAndIsSeenByThePolicy() {
    try (RegoPolicy policy =
        RegoPolicy.builder(Corpus.spec("opa/policy_with_builtins.wasm"))
            .data(json("{\"company_name\":[1,2]}"))
            .build()) {
      assertThat(
              policy
                  .evaluate("example", json("{\"user\":\"alice\"}"))
                  .get(0)
                  .get("result")
                  .get("message")
                  .asText())
          .isEqualTo("Hello There alice! Welcome to [1, 2]");
    }
    assertThat(List.of()).isEmpty();
  }
}
