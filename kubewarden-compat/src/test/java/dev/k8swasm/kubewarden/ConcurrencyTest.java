package dev.k8swasm.kubewarden;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k8swasm.module.Engine;
import dev.k8swasm.module.InstanceStrategy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One loaded policy answers many threads at once, each call as if alone. */
class ConcurrencyTest {

  @ParameterizedTest
  @ValueSource(strings = {"policy_wapc_start.wasm", "policy_wasi.wasm"})
  void manyThreadsGetTheirOwnAnswers(String file) throws Exception {
    Path module = TestPolicies.POLICIES.resolve(file);
    PolicyOperationsTest.Loaded l =
        PolicyOperationsTest.load(module, InstanceStrategy.SNAPSHOT, Engine.COMPILER);
    List<Cases.Case> cases = Cases.all().stream().filter(c -> c.answer() != null).toList();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (KubewardenPolicy policy = l.policy()) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int offset = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 60; i++) {
                    Cases.Case c = cases.get((offset * 7 + i) % cases.size());
                    byte[] answer =
                        policy.call(c.operation(), c.payload().getBytes(StandardCharsets.UTF_8));
                    assertThat(new String(answer, StandardCharsets.UTF_8))
                        .as(c.toString())
                        .isEqualTo(c.answer());
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
