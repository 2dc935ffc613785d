package dev.k8swasm.wasi.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleSpec;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The public sandbox API as a runtime built on it uses it. */
class SandboxedModuleTest {
  private static final byte[] NO_INPUT = new byte[0];

  private static <H extends HostImports> long run(
      SandboxedModule<H> module, java.util.function.ToLongFunction<Guest<H>> call) {
    Long result = module.evaluate(NO_INPUT, g -> call.applyAsLong(g));
    return result;
  }

  /** Per-instance host state: bump() counts, count() reports, reset() forgets. */
  static final class Counter implements HostImports {
    static final AtomicInteger CREATED = new AtomicInteger();
    int count;
    int resets;

    Counter(GuestContext context) {
      CREATED.incrementAndGet();
    }

    @Override
    public List<HostFunction> functions() {
      return List.of(
          new HostFunction(
              "test",
              "bump",
              FunctionType.of(List.of(), List.of()),
              (instance, args) -> {
                count++;
                return null;
              }),
          new HostFunction(
              "test",
              "count",
              FunctionType.of(List.of(), List.of(ValType.I32)),
              (instance, args) -> new long[] {count}));
    }

    @Override
    public void reset() {
      count = 0;
      resets++;
    }
  }

  private static SandboxedModule.Builder<Counter> builder(InstanceStrategy strategy) {
    return SandboxedModule.builder(SandboxModules.spec("host_imports", Engine.COMPILER, strategy))
        .hostImports(Counter::new);
  }

  @ParameterizedTest
  @EnumSource(InstanceStrategy.class)
  void hostImportsArePerInstanceAndResetBeforeEveryEvaluation(InstanceStrategy strategy) {
    try (SandboxedModule<Counter> module = builder(strategy).build()) {
      for (int i = 0; i < 5; i++) {
        long result =
            module.evaluate(
                NO_INPUT,
                g -> {
                  assertThat(g.host().count).isZero();
                  return g.call("run")[0];
                });
        assertThat(result).isEqualTo(2);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(InstanceStrategy.class)
  void wasiArgumentsAreConfigurable(InstanceStrategy strategy) {
    try (SandboxedModule<Counter> none = builder(strategy).build();
        SandboxedModule<Counter> two =
            builder(strategy).arguments(List.of("policy.wasm", "validate")).build()) {
      assertThat(run(none, g -> g.call("argc")[0])).isZero();
      assertThat(run(two, g -> g.call("argc")[0])).isEqualTo(2);
    }
  }

  @Test
  void importsTheHostDoesNotProvideAreNamedAtLoad() {
    ModuleSpec spec = SandboxModules.spec("host_imports", Engine.COMPILER, InstanceStrategy.FRESH);
    assertThatThrownBy(() -> SandboxedModule.builder(spec).build())
        .isInstanceOfSatisfying(
            ModuleException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.LOAD_FAILED);
              assertThat(e.getMessage())
                  .contains("test.bump (function () -> ()", "test.count (function () -> i32");
            });
  }

  @Test
  void aHostFunctionWithAnotherSignatureIsNamedAtLoad() {
    ModuleSpec spec = SandboxModules.spec("host_imports", Engine.COMPILER, InstanceStrategy.FRESH);
    HostImports wrong =
        () ->
            List.of(
                new HostFunction(
                    "test",
                    "bump",
                    FunctionType.of(List.of(ValType.I32), List.of()),
                    (i, a) -> null),
                new HostFunction(
                    "test",
                    "count",
                    FunctionType.of(List.of(), List.of(ValType.I32)),
                    (i, a) -> new long[] {0}));
    assertThatThrownBy(
            () ->
                SandboxedModule.builder(spec)
                    .hostImports(ctx -> wrong)
                    .contract("test contract", "do better")
                    .build())
        .isInstanceOfSatisfying(
            ModuleException.class,
            e ->
                assertThat(e.getMessage())
                    .contains(
                        "does not fit the test contract",
                        "test.bump (function () -> (); the host declares (i32) -> ()",
                        "do better",
                        "wasi_snapshot_preview1, test are available"));
  }

  @Test
  void runtimeChecksAreReportedWithTheSandboxes() {
    ModuleSpec spec = SandboxModules.spec("poison", Engine.COMPILER, InstanceStrategy.FRESH);
    assertThatThrownBy(
            () ->
                SandboxedModule.builder(spec)
                    .check((module, problems) -> problems.add("no __guest_call export"))
                    .build())
        .isInstanceOfSatisfying(
            ModuleException.class,
            e -> assertThat(e.getMessage()).contains("no __guest_call export"));
  }

  @ParameterizedTest
  @EnumSource(InstanceStrategy.class)
  void aModuleExceptionFromTheCallPassesUnchangedAndOthersAreClassified(InstanceStrategy strategy) {
    try (SandboxedModule<Counter> module = builder(strategy).build()) {
      ModuleException own =
          new ModuleException("host_imports", FailureReason.MODULE_ERROR, "guest said no");
      assertThatThrownBy(
              () ->
                  module.evaluate(
                      NO_INPUT,
                      g -> {
                        throw own;
                      }))
          .isSameAs(own);
      assertThatThrownBy(
              () ->
                  module.evaluate(
                      NO_INPUT,
                      g -> {
                        throw new IllegalStateException("host bug");
                      }))
          .isInstanceOfSatisfying(
              ModuleException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(FailureReason.TRAP);
                assertThat(e.getMessage()).contains("IllegalStateException: host bug");
              });
      assertThatThrownBy(() -> module.evaluate(NO_INPUT, g -> g.call("nothing")))
          .isInstanceOf(ModuleException.class)
          .hasMessageContaining("exports no function 'nothing'");
      assertThat(run(module, g -> g.call("run")[0])).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @EnumSource(InstanceStrategy.class)
  void theObserverSeesTheOutputsWhateverTheOutcome(InstanceStrategy strategy) {
    try (SandboxedModule<Counter> module = builder(strategy).build()) {
      List<Boolean> outcomes = new java.util.ArrayList<>();
      module.evaluate(NO_INPUT, g -> g.call("run"), (out, err, ok) -> outcomes.add(ok));
      assertThatThrownBy(
              () ->
                  module.evaluate(
                      NO_INPUT,
                      g -> {
                        throw new IllegalStateException("x");
                      },
                      (out, err, ok) -> outcomes.add(ok)))
          .isInstanceOf(ModuleException.class);
      assertThat(outcomes).containsExactly(true, false);
    }
  }

  @Test
  void stdinIsAPipeThatHostFunctionsCanRefill() throws Exception {
    GuestInput input = new GuestInput();
    input.reset("abc".getBytes(StandardCharsets.UTF_8));
    InputStream stream = input.stream();
    assertThat(stream.readAllBytes()).isEqualTo("abc".getBytes(StandardCharsets.UTF_8));
    assertThat(stream.read()).isEqualTo(-1);
    input.append("de".getBytes(StandardCharsets.UTF_8));
    input.append("f".getBytes(StandardCharsets.UTF_8));
    assertThat(input.available()).isEqualTo(3);
    byte[] buffer = new byte[10];
    assertThat(stream.read(buffer, 0, 10)).isEqualTo(3);
    assertThat(new String(buffer, 0, 3, StandardCharsets.UTF_8)).isEqualTo("def");
    assertThat(stream.read(buffer, 0, 10)).isEqualTo(-1);
  }

  @Test
  void theInstancePoolHandsOutWhatItWasGiven() {
    InstancePool<String> pool = new InstancePool<>(2);
    assertThat(pool.poll()).isNull();
    assertThat(pool.offer("a")).isTrue();
    assertThat(pool.offer("b")).isTrue();
    assertThat(pool.offer("c")).isFalse();
    assertThat(List.of(pool.poll(), pool.poll())).containsExactlyInAnyOrder("a", "b");
    assertThat(pool.poll()).isNull();
    pool.offer("d");
    assertThat(pool.drain()).containsExactly("d");
  }
}
