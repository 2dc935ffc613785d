package dev.k8swasm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code k8s-wasm bench}: short runs, checking what is printed, never how fast. */
class BenchCommandTest {
  private static final String[] SHORT = {"--duration", "200ms", "--warmup", "100ms"};

  private static Cli.Result bench(String... args) {
    String[] all = new String[args.length + SHORT.length + 1];
    all[0] = "bench";
    System.arraycopy(args, 0, all, 1, args.length);
    System.arraycopy(SHORT, 0, all, 1 + args.length, SHORT.length);
    return Cli.run(all);
  }

  @Test
  void printsLatencyPercentilesWithUnitsAndThroughput() {
    Cli.Result r =
        bench(
            Cli.module("magic_validator.wasm"),
            "-r",
            Cli.examples().resolve("requests/admission-configmap-create.json").toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("module magic_validator (wasi, compiler engine, snapshot instances)")
        .containsPattern("threads 1, warm-up 0\\.1 s, measured 0\\.\\d s: [\\d,]+ evaluations")
        .containsPattern(
            "p50 [\\d.]+ (ns|us|ms|s) +p99 [\\d.]+ (ns|us|ms|s) +mean [\\d.]+ (ns|us|ms|s)")
        .containsPattern("throughput +[\\d,]+ evaluations/s");
  }

  @Test
  void threadsStrategyAndEngineAreOptions() {
    Cli.Result r =
        bench(
            Cli.module("magic_authenticator.wasm"),
            "-r",
            Cli.examples().resolve("requests/tokenreview-magic.json").toString(),
            "--threads",
            "2",
            "--strategy",
            "fresh",
            "--engine",
            "interpreter");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("(wasi, interpreter engine, fresh instances), TokenReview")
        .contains("threads 2");
  }

  @Test
  void aModuleThatFailsIsMeasuredWithAWarning() {
    Cli.Result r =
        bench(
            Cli.module("hostile/trap.wasm"),
            "-r",
            Cli.examples().resolve("requests/tokenreview-magic.json").toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.err()).contains("warning: the module fails on this request");
    assertThat(r.out()).contains("failed)");
  }

  @Test
  void badOptionsAreUsageErrors() {
    String module = Cli.module("magic_validator.wasm");
    String request = Cli.examples().resolve("requests/admission-configmap-create.json").toString();
    assertThat(Cli.run("bench", module, "-r", request, "--strategy", "pooled").exitCode())
        .isEqualTo(2);
    assertThat(Cli.run("bench", module, "-r", request, "--threads", "0").exitCode()).isEqualTo(2);
    assertThat(Cli.run("bench", module, "-r", request, "--duration", "0s").exitCode()).isEqualTo(2);
    assertThat(Cli.run("bench", "-r", request).exitCode()).isEqualTo(2);
  }

  /** bench accepts the module options of run, so it rejects them exactly as run does. */
  @Test
  void moduleOptionsFailAsInRun() {
    String module = Cli.module("magic_validator.wasm");
    String request = Cli.examples().resolve("requests/admission-configmap-create.json").toString();
    String[][] cases = {
      {"--name", " "},
      {"--type", "wasi", "--allow-context-aware"},
      {"--settings-path", "no-such-settings.json"},
    };
    for (String[] options : cases) {
      String[] common = {module, "-r", request};
      String[] args = new String[common.length + options.length];
      System.arraycopy(common, 0, args, 0, common.length);
      System.arraycopy(options, 0, args, common.length, options.length);
      Cli.Result run = Cli.run(prepend("run", args));
      Cli.Result bench = bench(args);

      assertThat(run.exitCode()).as(run.toString()).isNotZero();
      assertThat(bench.exitCode()).as(bench.toString()).isEqualTo(run.exitCode());
      assertThat(bench.err().lines().findFirst())
          .as(bench.toString())
          .isEqualTo(run.err().lines().findFirst());
    }
  }

  private static String[] prepend(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  @Test
  void aMissingModuleIsAOneLineError() {
    Cli.Result r =
        bench(
            "missing.wasm",
            "-r",
            Cli.examples().resolve("requests/admission-configmap-create.json").toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("error:").contains("missing.wasm");
  }

  @Test
  void unitsScaleWithTheValue() {
    assertThat(BenchCommand.time(850)).isEqualTo("850 ns");
    assertThat(BenchCommand.time(12_340)).isEqualTo("12.3 us");
    assertThat(BenchCommand.time(4_560_000)).isEqualTo("4.56 ms");
    assertThat(BenchCommand.time(1_200_000_000)).isEqualTo("1.20 s");
  }
}
