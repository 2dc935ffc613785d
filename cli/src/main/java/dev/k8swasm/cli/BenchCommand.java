package dev.k8swasm.cli;

import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.source.ResolvedModule;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code k8s-wasm bench}: evaluates one request with one module over and over, on one or more
 * threads, and prints the latency percentiles and the throughput. Accepts the module, settings and
 * type options of {@code run}, so any module {@code run} evaluates can be benchmarked.
 */
@Command(
    name = "bench",
    sortOptions = false,
    usageHelpAutoWidth = true,
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Evaluates the request (-r) with MODULE repeatedly and prints latency percentiles (p50, p99,"
          + " mean, max per evaluation) and throughput (evaluations per second).",
      "",
      "Each evaluation goes through the library's public API as in 'run': the request document is"
          + " converted, evaluated in the sandbox and the answer verified. A warm-up runs first"
          + " (the JIT compiles the module's code), then every thread evaluates for --duration.",
      ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  k8s-wasm bench magic_validator.wasm -r admissionreview.json",
      "  k8s-wasm bench policy.wasm -r pod.json --threads 2 --duration 10s \\",
      "      --strategy fresh"
    })
public final class BenchCommand implements Callable<Integer> {
  /** The most latencies one thread records; later calls count for throughput only. */
  private static final int MAX_SAMPLES = 4_000_000;

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "MODULE",
      description = "The module to benchmark: a .wasm file, file://, https:// or registry://.")
  String moduleReference;

  private ResolvedModule module;

  @Mixin RegistryOptions registry;

  @Mixin RequestOption request;

  @Mixin ModuleOptions moduleOptions;

  @Option(
      names = {"-t", "--threads"},
      paramLabel = "N",
      defaultValue = "1",
      description = "How many threads evaluate at the same time (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = {"-d", "--duration"},
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = Seconds.class,
      description =
          "How long to measure, e.g. 10s, 500ms, or a number of seconds (default:"
              + " ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(
      names = "--warmup",
      paramLabel = "DURATION",
      defaultValue = "2s",
      converter = Seconds.class,
      description = "How long to evaluate before measuring (default: ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(
      names = "--strategy",
      paramLabel = "STRATEGY",
      converter = StrategyName.class,
      completionCandidates = StrategyNames.class,
      description =
          "How each evaluation gets clean module state: ${COMPLETION-CANDIDATES} (default:"
              + " snapshot: restore a snapshot of the initialised module into a pooled instance;"
              + " fresh: a new instance per evaluation).")
  InstanceStrategy strategy;

  @Mixin ExecutionOptions execution;

  @Mixin KubewardenRunOptions kubewarden;

  @Mixin DebugOption debug;

  /** Used by picocli. */
  public BenchCommand() {}

  @Override
  public Integer call() {
    if (threads < 1) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--threads must be at least 1, got " + threads);
    }
    moduleOptions.check(kubewarden);
    Errors errors = new Errors(spec.commandLine().getErr(), debug.enabled());
    return errors.guard(() -> run(errors));
  }

  private int run(Errors errors) throws InterruptedException {
    module = registry.resolve(moduleReference);
    ReviewRequest review = request.read();
    review.secret().ifPresent(errors::addSecret);
    ModuleSpec moduleSpec = moduleSpec();
    PrintWriter out = spec.commandLine().getOut();
    try (Decider decider =
        Deciders.forModule(moduleSpec, review.kind(), moduleOptions.mutating())) {
      Decider.Outcome first = decider.decide(review);
      if (first.failure().isPresent()) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(
            "warning: the module fails on this request ("
                + errors.redact(first.failure().get())
                + "); the benchmark measures that failing evaluation");
        err.flush();
      }
      out.printf(
          Locale.ROOT,
          "module %s (%s, %s engine, %s instances), %s from %s%n",
          moduleSpec.name(),
          moduleSpec.type(),
          moduleSpec.engine().name().toLowerCase(Locale.ROOT),
          moduleSpec.strategy().name().toLowerCase(Locale.ROOT),
          review.kind().wireKind(),
          review.source());
      out.flush();
      measure(decider, review, warmup, false);
      Result result = measure(decider, review, duration, true);
      print(out, result);
      return 0;
    }
  }

  /** What the threads measured. */
  private record Result(long calls, long failures, long[] latencies, long elapsedNanos) {}

  private Result measure(Decider decider, ReviewRequest review, Duration time, boolean record)
      throws InterruptedException {
    long nanos = time.toNanos();
    AtomicLong calls = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    AtomicReference<Throwable> error = new AtomicReference<>();
    List<long[]> samples = new ArrayList<>();
    int[] counts = new int[threads];
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    long[] window = new long[2];
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long[] mine =
          new long[record ? (int) Math.min(MAX_SAMPLES, Math.max(1024, nanos / 1000)) : 0];
      samples.add(mine);
      int index = t;
      Thread worker =
          new Thread(
              () -> {
                long n = 0;
                long failed = 0;
                int recorded = 0;
                try {
                  ready.countDown();
                  go.await();
                  long end = window[0] + nanos;
                  long now = System.nanoTime();
                  while (now < end) {
                    boolean failure = decider.decide(review).failure().isPresent();
                    long after = System.nanoTime();
                    if (recorded < mine.length) {
                      mine[recorded++] = after - now;
                    }
                    if (failure) {
                      failed++;
                    }
                    n++;
                    now = after;
                  }
                } catch (Throwable e) {
                  error.compareAndSet(null, e);
                } finally {
                  counts[index] = recorded;
                  calls.addAndGet(n);
                  failures.addAndGet(failed);
                }
              },
              "k8s-wasm-bench-" + t);
      worker.setDaemon(true);
      workers.add(worker);
      worker.start();
    }
    ready.await();
    window[0] = System.nanoTime();
    go.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    long elapsed = System.nanoTime() - window[0];
    if (error.get() != null) {
      Throwable e = error.get();
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
    long[] all = new long[Arrays.stream(counts).sum()];
    int at = 0;
    for (int t = 0; t < threads; t++) {
      System.arraycopy(samples.get(t), 0, all, at, counts[t]);
      at += counts[t];
    }
    Arrays.sort(all);
    return new Result(calls.get(), failures.get(), all, elapsed);
  }

  private void print(PrintWriter out, Result r) {
    long[] l = r.latencies();
    if (l.length == 0) {
      out.println("no evaluation finished within " + duration.toMillis() + " ms");
      out.flush();
      return;
    }
    double mean = Arrays.stream(l).average().orElse(0);
    out.printf(
        Locale.ROOT,
        "threads %d, warm-up %s, measured %s: %,d evaluations%s%n",
        threads,
        seconds(warmup.toNanos()),
        seconds(r.elapsedNanos()),
        r.calls(),
        r.failures() > 0 ? " (" + r.failures() + " failed)" : "");
    out.printf(
        Locale.ROOT,
        "latency     p50 %s   p99 %s   mean %s   max %s%n",
        time(l[(int) (l.length * 0.50)]),
        time(l[Math.min(l.length - 1, (int) (l.length * 0.99))]),
        time(mean),
        time(l[l.length - 1]));
    out.printf(
        Locale.ROOT, "throughput  %,.0f evaluations/s%n", r.calls() / (r.elapsedNanos() / 1e9));
    out.flush();
  }

  /** A duration in nanoseconds with a unit: 850 ns, 12.3 us, 4.56 ms, 1.20 s. */
  static String time(double nanos) {
    if (nanos < 1_000) {
      return String.format(Locale.ROOT, "%.0f ns", nanos);
    }
    if (nanos < 1_000_000) {
      return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
    }
    if (nanos < 1_000_000_000) {
      return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  private ModuleSpec moduleSpec() {
    ModuleSpec.Builder b = moduleOptions.spec(module, kubewarden, execution, debug);
    if (strategy != null) {
      b.strategy(strategy);
    }
    return b.build();
  }

  /** A duration: {@code 10s}, {@code 500ms}, or a plain number of seconds. */
  static final class Seconds implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim();
      if (v.matches("\\d+(\\.\\d+)?")) {
        v = v + "s";
      }
      return new Converters.PositiveDuration().convert(v);
    }
  }

  /** {@code snapshot} or {@code fresh}, in any case. */
  static final class StrategyName implements ITypeConverter<InstanceStrategy> {
    @Override
    public InstanceStrategy convert(String value) {
      try {
        return InstanceStrategy.valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(
            "unknown strategy '" + value + "' (use snapshot or fresh)");
      }
    }
  }

  /** The strategy names, for help and completion. */
  static final class StrategyNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return List.of("snapshot", "fresh").iterator();
    }
  }
}
