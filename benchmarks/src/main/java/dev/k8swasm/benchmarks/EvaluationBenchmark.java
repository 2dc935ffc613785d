package dev.k8swasm.benchmarks;

import dev.k8swasm.module.Engine;
import dev.k8swasm.module.InstanceStrategy;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Scenarios S1-S5, S4W, S7, S8D, S8R and S9 (see {@link Scenario}): latency per call on one thread
 * ({@code latency}, sample mode: p50, p99, mean), and throughput on one and on two threads.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EvaluationBenchmark {
  @Param({"S1", "S2", "S3", "S4", "S4W", "S5", "S7", "S8D", "S8R", "S9"})
  public String scenario;

  @Param({"SNAPSHOT", "FRESH"})
  public String strategy;

  @Param({"COMPILER", "INTERPRETER"})
  public String engine;

  private Scenario.Call call;

  @Setup(Level.Trial)
  public void open() {
    call =
        Scenario.openChecked(scenario, Engine.valueOf(engine), InstanceStrategy.valueOf(strategy));
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    call.close();
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @Threads(1)
  public Object latency() {
    return call.run();
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Threads(1)
  public Object throughput1() {
    return call.run();
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Threads(2)
  public Object throughput2() {
    return call.run();
  }
}
