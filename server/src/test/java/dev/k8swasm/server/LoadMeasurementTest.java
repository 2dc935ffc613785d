package dev.k8swasm.server;

import static dev.k8swasm.server.Fixture.exampleConfig;
import static dev.k8swasm.server.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short, bounded loopback load: 2 client threads for about 10 s against all four review
 * endpoints. It prints the latency percentiles seen by the client (the figures in docs/serve.md)
 * and checks that no request was lost or failed; it does not assert on time.
 */
class LoadMeasurementTest {
  static final Duration WARMUP = Duration.ofSeconds(3);
  static final Duration MEASURE = Duration.ofSeconds(Long.getLong("k8swasm.load.seconds", 10));

  record Call(String path, String body) {}

  @Test
  void twoClientThreadsOnLoopback(@TempDir Path dir) throws Exception {
    Path config =
        Fixture.write(
            dir.resolve("server.yaml"),
            "authentication:\n  path: "
                + exampleConfig("authentication.yaml")
                + "\n"
                + "authorization:\n  path: "
                + exampleConfig("authorization.yaml")
                + "\n"
                + "admission:\n  path: "
                + exampleConfig("admission.yaml")
                + "\n");
    List<Call> calls =
        List.of(
            new Call(WebhookServer.AUTHENTICATE, request("tokenreview-magic.json")),
            new Call(WebhookServer.AUTHORIZE, request("sar-configmaps.json")),
            new Call(WebhookServer.MUTATE, request("admission-configmap-create.json")),
            new Call(WebhookServer.VALIDATE, request("admission-configmap-not-allowed.json")));
    try (Fixture.Running s = Fixture.start(config, new Fixture.Flags())) {
      run(s, calls, WARMUP);
      s.log.clear();
      Result r = run(s, calls, MEASURE);
      System.out.printf(
          Locale.ROOT,
          "loopback load, 2 client threads, %d s, %d processors: %d requests (%.0f/s),"
              + " %d failed; latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
          MEASURE.toSeconds(),
          Runtime.getRuntime().availableProcessors(),
          r.latencies.length,
          r.latencies.length / (double) MEASURE.toSeconds(),
          r.failures.size(),
          r.percentile(50),
          r.percentile(90),
          r.percentile(99),
          r.percentile(100));
      long[] server = s.log.stream().mapToLong(AccessLog.Entry::nanos).sorted().toArray();
      long[] modules =
          s.log.stream()
              .flatMap(e -> e.evaluations().stream())
              .mapToLong(e -> e.duration().toNanos())
              .sorted()
              .toArray();
      Result inServer = new Result(server, List.of());
      Result inModules = new Result(modules, List.of());
      System.out.printf(
          Locale.ROOT,
          "  inside the server (request received to answered): p50 %.2f ms, p99 %.2f ms;"
              + " module evaluations: p50 %.3f ms, p99 %.3f ms%n",
          inServer.percentile(50),
          inServer.percentile(99),
          inModules.percentile(50),
          inModules.percentile(99));
      assertThat(r.failures).isEmpty();
      assertThat(r.latencies).isNotEmpty();
      // every request the clients sent was answered and counted by the server
      s.awaitMetric(r.latencies.length, "k8swasm_http_requests_seconds_count", "code", "200");
      double answered =
          Fixture.metric(
              s.get(WebhookServer.METRICS).body(),
              "k8swasm_http_requests_seconds_count",
              "code",
              "200");
      assertThat(answered).isGreaterThanOrEqualTo(r.latencies.length);
    }
  }

  record Result(long[] latencies, List<String> failures) {
    double percentile(int p) {
      if (latencies.length == 0) {
        return 0;
      }
      int i = (int) Math.ceil(p / 100.0 * latencies.length) - 1;
      return latencies[Math.max(0, Math.min(latencies.length - 1, i))] / 1e6;
    }
  }

  static Result run(Fixture.Running s, List<Call> calls, Duration duration) throws Exception {
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    List<long[]> perThread = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    long end = System.nanoTime() + duration.toNanos();
    for (int t = 0; t < 2; t++) {
      long[][] mine = {new long[1 << 16]};
      int[] n = {0};
      int offset = t;
      Thread thread =
          new Thread(
              () -> {
                int i = offset;
                while (System.nanoTime() < end) {
                  Call c = calls.get(i++ % calls.size());
                  long start = System.nanoTime();
                  try {
                    HttpResponse<String> r = s.post(c.path, c.body);
                    long took = System.nanoTime() - start;
                    if (r.statusCode() != 200) {
                      failures.add(c.path + ": " + r.statusCode());
                    }
                    if (n[0] == mine[0].length) {
                      mine[0] = Arrays.copyOf(mine[0], n[0] * 2);
                    }
                    mine[0][n[0]++] = took;
                  } catch (RuntimeException e) {
                    failures.add(c.path + ": " + e);
                  }
                }
                synchronized (perThread) {
                  perThread.add(Arrays.copyOf(mine[0], n[0]));
                }
              },
              "load-" + t);
      threads.add(thread);
      thread.start();
    }
    for (Thread t : threads) {
      t.join(duration.toMillis() + 60_000);
    }
    long[] all = perThread.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    return new Result(all, List.copyOf(failures));
  }
}
