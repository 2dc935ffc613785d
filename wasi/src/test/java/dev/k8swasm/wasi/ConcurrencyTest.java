package dev.k8swasm.wasi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Many threads evaluating the same modules at once all get their own, correct answers. */
class ConcurrencyTest {
  private static final int THREADS = 8;
  private static final int EVALUATIONS_PER_THREAD = 300;

  /** One kind of evaluation and the check of its answer. */
  private interface Case {
    void run(Engine engine, int i);
  }

  private static final List<Case> CASES =
      List.of(
          (engine, i) -> {
            JsonNode status =
                module("magic_authenticator", engine)
                    .evaluate(ReviewKind.AUTHENTICATION, Requests.tokenReview("magic-token"))
                    .path("status");
            assertThat(status.path("user").path("username").asText()).isEqualTo("magic-user");
          },
          (engine, i) -> {
            JsonNode status =
                module("magic_authenticator", engine)
                    .evaluate(ReviewKind.AUTHENTICATION, Requests.tokenReview("token-" + i))
                    .path("status");
            assertThat(status.path("authenticated").asBoolean(true)).isFalse();
          },
          (engine, i) -> {
            JsonNode status =
                module("magic_authorizer", engine)
                    .evaluate(
                        ReviewKind.AUTHORIZATION,
                        Requests.subjectAccessReview(
                            "magic-group", i % 2 == 0 ? "configmaps" : "pods"))
                    .path("status");
            assertThat(status.path("allowed").asBoolean()).isEqualTo(i % 2 == 0);
          },
          (engine, i) -> {
            boolean deny = i % 2 == 0;
            String data = deny ? "{\"not-allowed-value\":\"" + i + "\"}" : "{\"k\":\"" + i + "\"}";
            JsonNode response =
                module("magic_validator", engine)
                    .evaluate(ReviewKind.ADMISSION, Requests.admissionReview("uid-" + i, data))
                    .path("response");
            assertThat(response.path("uid").asText()).isEqualTo("uid-" + i);
            assertThat(response.path("allowed").asBoolean()).isEqualTo(!deny);
          },
          (engine, i) -> {
            JsonNode response =
                module("magic_mutator", engine)
                    .evaluate(ReviewKind.ADMISSION, Requests.admissionReview("uid-" + i, "{}"))
                    .path("response");
            assertThat(response.path("uid").asText()).isEqualTo("uid-" + i);
            assertThat(response.path("patchType").asText()).isEqualTo("Full");
          },
          (engine, i) -> {
            JsonNode user =
                TestModules.shared(TestModules.hostile("stateful"), engine)
                    .evaluate(ReviewKind.AUTHENTICATION, Requests.tokenReview("t-" + i))
                    .path("status")
                    .path("user");
            assertThat(user.path("username").asText()).isEqualTo("previous:none");
            assertThat(user.path("uid").asText()).isEqualTo("1");
          },
          (engine, i) ->
              assertThatThrownBy(
                      () ->
                          TestModules.shared(TestModules.hostile("trap"), engine)
                              .evaluate(ReviewKind.ADMISSION, Requests.admissionReview("u", "{}")))
                  .isInstanceOfSatisfying(
                      ModuleException.class,
                      e -> assertThat(e.reason()).isEqualTo(FailureReason.TRAP)));

  private static PolicyModule module(String name, Engine engine) {
    return TestModules.shared(TestModules.example(name), engine);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void concurrentMixedEvaluationsAreAllCorrect(Engine engine) throws Exception {
    CASES.forEach(c -> c.run(engine, 0)); // load and compile outside the measured part
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < EVALUATIONS_PER_THREAD; i++) {
                    CASES.get((thread + i) % CASES.size()).run(engine, thread * 1000 + i);
                    assertThat(Thread.currentThread().isInterrupted()).isFalse();
                  }
                  return EVALUATIONS_PER_THREAD;
                }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> f : done) {
        total += f.get(5, TimeUnit.MINUTES);
      }
      assertThat(total).isEqualTo(THREADS * EVALUATIONS_PER_THREAD);
    } finally {
      pool.shutdownNow();
    }
  }
}
