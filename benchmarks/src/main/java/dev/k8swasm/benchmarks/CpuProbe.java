package dev.k8swasm.benchmarks;

import dev.k8swasm.module.Engine;
import dev.k8swasm.module.InstanceStrategy;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * Per-call CPU time of the calling thread (not wall time) of scenarios, for comparing variants on a
 * machine too busy for wall-clock latencies: a thread's CPU time does not count the time it waited
 * for a core. Not part of the report.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.k8swasm.benchmarks.CpuProbe SECONDS
 * SCENARIO/STRATEGY...}, e.g. {@code 20 S8R/SNAPSHOT S8R/FRESH}: each scenario warms up for SECONDS
 * of CPU time, then SECONDS more are measured; prints p50, p10 and mean per call in µs.
 */
public final class CpuProbe {
  private CpuProbe() {}

  public static void main(String[] args) throws Exception {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    double seconds = Double.parseDouble(args[0]);
    for (int a = 1; a < args.length; a++) {
      String[] parts = args[a].split("/");
      try (Scenario.Call call =
          Scenario.openChecked(
              parts[0],
              Engine.valueOf(parts.length > 2 ? parts[2] : "COMPILER"),
              InstanceStrategy.valueOf(parts[1]))) {
        long budget = (long) (seconds * 1e9);
        long[] samples = new long[1 << 20];
        double best = Double.MAX_VALUE;
        double previous = 0;
        StringBuilder rounds = new StringBuilder();
        for (int round = 0; round < 12; round++) {
          int n = 0;
          long start = bean.getCurrentThreadCpuTime();
          long now = start;
          while (now - start < budget && n < samples.length) {
            long t0 = now;
            call.run();
            now = bean.getCurrentThreadCpuTime();
            samples[n++] = now - t0;
          }
          Arrays.sort(samples, 0, n);
          double p50 = samples[n / 2] / 1e3;
          rounds.append(String.format(Locale.ROOT, " %.0f", p50));
          best = Math.min(best, p50);
          if (round >= 3 && Math.abs(p50 - previous) < 0.03 * previous) {
            break;
          }
          previous = p50;
        }
        System.out.printf(
            Locale.ROOT, "%-22s best round cpu p50 %8.1f us; rounds:%s%n", args[a], best, rounds);
      }
    }
  }
}
