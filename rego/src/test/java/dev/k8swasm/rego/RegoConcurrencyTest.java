package dev.k8swasm.rego;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many threads on one policy: every answer is its own request's (no state leaks between calls). */
class RegoConcurrencyTest {

  @Test
  void concurrentEvaluationsSeeOnlyTheirOwnInput() throws Exception {
    try (RegoPolicy policy =
        RegoPolicy.builder(Corpus.spec("opa/policy_with_builtins.wasm"))
            .data(Json.readTree("{\"company_name\":\"ACME\"}".getBytes(StandardCharsets.UTF_8)))
            .build()) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Integer>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          int thread = t;
          futures.add(
              pool.submit(
                  () -> {
                    int checked = 0;
                    for (int i = 0; i < 300; i++) {
                      String user = "user-" + thread + "-" + i + "x".repeat(i % 50);
                      JsonNode result =
                          policy.evaluate(
                              "example",
                              Json.readTree(
                                  ("{\"user\":\"" + user + "\"}")
                                      .getBytes(StandardCharsets.UTF_8)));
                      assertThat(result.get(0).get("result").get("message").asText())
                          .isEqualTo("Hello There " + user + "! Welcome to ACME");
                      checked++;
                    }
                    return checked;
                  }));
        }
        int total = 0;
        for (Future<Integer> f : futures) {
          total += f.get(120, TimeUnit.SECONDS);
        }
        assertThat(total).isEqualTo(1200);
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
