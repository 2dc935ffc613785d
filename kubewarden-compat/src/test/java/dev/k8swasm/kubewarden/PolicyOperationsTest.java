package dev.k8swasm.kubewarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.json.Json;
import dev.k8swasm.kubewarden.metadata.ExecutionMode;
import dev.k8swasm.kubewarden.session.Exchange;
import dev.k8swasm.kubewarden.session.SessionRecorder;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.ModuleException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operation of the test policies ({@link Cases}) on both waPC styles (TinyGo-style {@code
 * _start}, Rust-style {@code wapc_init}), without metadata and in WASI mode, on both instance
 * strategies and both engines: the raw answers must be exactly the expected ones, and the host
 * capabilities called the expected ones, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyOperationsTest {

  /** One loaded policy. */
  record Loaded(String label, KubewardenPolicy policy, SessionRecorder recorder) {
    @Override
    public String toString() {
      return label;
    }
  }

  private final List<Loaded> loaded = new ArrayList<>();

  static Loaded load(Path module, InstanceStrategy strategy, Engine engine) {
    SessionRecorder recorder = SessionRecorder.inMemory();
    KubewardenPolicy policy =
        KubewardenPolicy.load(
            TestPolicies.spec(module)
                .strategy(strategy)
                .engine(engine)
                .option("allowedHostCapabilities", TestPolicies.parse("[\"*\"]"))
                .option(
                    "contextAwareResources",
                    TestPolicies.parse("[{\"apiVersion\":\"v1\",\"kind\":\"Namespace\"}]"))
                .extension(
                    dev.k8swasm.kubewarden.capabilities.HostCapabilities.class,
                    TestHost.with(recorder))
                .build());
    String label =
        module.getFileName()
            + " "
            + strategy.name().toLowerCase()
            + " "
            + engine.name().toLowerCase();
    return new Loaded(label, policy, recorder);
  }

  @BeforeAll
  void loadAll() {
    for (Path module :
        List.of(
            TestPolicies.WAPC_START,
            TestPolicies.WAPC_INIT,
            TestPolicies.WAPC_NOMETA,
            TestPolicies.WASI)) {
      for (InstanceStrategy strategy : InstanceStrategy.values()) {
        loaded.add(load(module, strategy, Engine.COMPILER));
      }
    }
    loaded.add(load(TestPolicies.WAPC_START, InstanceStrategy.SNAPSHOT, Engine.INTERPRETER));
    loaded.add(load(TestPolicies.WASI, InstanceStrategy.FRESH, Engine.INTERPRETER));
  }

  @AfterAll
  void closeAll() {
    loaded.forEach(l -> l.policy().close());
  }

  Stream<Arguments> cases() {
    List<Arguments> args = new ArrayList<>();
    for (Loaded l : loaded) {
      for (Cases.Case c : Cases.all()) {
        args.add(Arguments.of(l, c));
      }
    }
    return args.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("cases")
  void answersExactly(Loaded l, Cases.Case c) {
    int before = l.recorder().exchanges().size();
    boolean wasi = l.policy().executionMode() == ExecutionMode.WASI;
    byte[] payload = c.payload().getBytes(StandardCharsets.UTF_8);
    if (c.answer() != null) {
      byte[] answer = l.policy().call(c.operation(), payload);
      assertThat(new String(answer, StandardCharsets.UTF_8)).isEqualTo(c.answer());
    } else {
      String expected =
          wasi
              ? "program exited with code Some(1); stderr set to '"
                  + c.error()
                  + "\n', error: 'Exited with i32 exit status 1'"
              : "Guest call failure: " + c.error();
      assertThatThrownBy(() -> l.policy().call(c.operation(), payload))
          .isInstanceOfSatisfying(
              ModuleException.class,
              e -> {
                assertThat(e.reason())
                    .isEqualTo(wasi ? FailureReason.EXIT_CODE : FailureReason.MODULE_ERROR);
                assertThat(e.detail()).isEqualTo(expected);
                assertThat(e.moduleName()).isEqualTo(l.policy().name());
              });
    }
    List<Exchange> exchanges = l.recorder().exchanges();
    assertThat(exchanges.subList(before, exchanges.size()))
        .extracting(x -> x.request().type())
        .containsExactlyElementsOf(c.calls());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void protocolVersionIsV1InWapcMode(Loaded l) {
    if (l.policy().executionMode() == ExecutionMode.WASI) {
      assertThatThrownBy(() -> l.policy().protocolVersion())
          .isInstanceOfSatisfying(
              ModuleException.class,
              e -> assertThat(e.reason()).isEqualTo(FailureReason.UNSUPPORTED));
    } else {
      assertThat(l.policy().protocolVersion()).isEqualTo("v1");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void unknownOperationIsAGuestError(Loaded l) {
    if (l.policy().executionMode() == ExecutionMode.WASI) {
      return;
    }
    assertThatThrownBy(() -> l.policy().call("frobnicate", "{}".getBytes()))
        .isInstanceOfSatisfying(
            ModuleException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.MODULE_ERROR);
              assertThat(e.detail()).isEqualTo("Guest call failure: unknown operation: frobnicate");
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void invalidValidatePayloadIsAGuestError(Loaded l) {
    String error = "invalid validate payload: \"request\" is missing or not a JSON object";
    if (l.policy().executionMode() == ExecutionMode.WASI) {
      assertThatThrownBy(() -> l.policy().call("validate", "{\"settings\":{}}".getBytes()))
          .hasMessageContaining("stderr set to '" + error + "\n'");
    } else {
      assertThatThrownBy(() -> l.policy().call("validate", "{\"settings\":{}}".getBytes()))
          .isInstanceOfSatisfying(
              ModuleException.class,
              e -> assertThat(e.detail()).isEqualTo("Guest call failure: " + error));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void manyCallsGiveTheSameAnswers(Loaded l) {
    Cases.Case everything = Cases.validate().get(Cases.validate().size() - 1);
    byte[] payload = everything.payload().getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 40; i++) {
      if (i % 2 == 0) {
        assertThat(new String(l.policy().call("validate", payload), StandardCharsets.UTF_8))
            .isEqualTo(everything.answer());
      } else {
        assertThat(new String(l.policy().call("validate_settings", "{}".getBytes())))
            .isEqualTo("{\"valid\":true}");
      }
    }
  }

  Stream<Loaded> policies() {
    return loaded.stream();
  }

  static String text(Object o) {
    return Json.writeString(o);
  }
}
