package dev.k8swasm.benchmarks;

import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.admission.ModuleAdmissionController;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import dev.k8swasm.wasi.sandbox.HostImports;
import dev.k8swasm.wasi.sandbox.SandboxedModule;
import java.nio.charset.StandardCharsets;
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

/**
 * Where the time of S1 goes: the whole call through {@link ModuleAdmissionController} ({@code
 * admit}), the module call with request bytes as {@code admit} makes it ({@code module}: envelope,
 * sandbox, output envelope parsing and binding to an {@link AdmissionReview}), and the bare sandbox
 * call ({@code sandbox}: restore or instantiate, stdin, the guest's {@code validate}, nothing
 * parsed).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BreakdownBenchmark {
  @Param({"SNAPSHOT", "FRESH"})
  public String strategy;

  private ModuleAdmissionController controller;
  private PolicyModule module;
  private SandboxedModule<HostImports> sandbox;
  private AdmissionReview review;
  private byte[] request;
  private byte[] envelope;

  @Setup(Level.Trial)
  public void open() {
    ModuleSpec spec =
        ModuleSpec.builder("magic_validator")
            .path(Fixtures.module("magic_validator.wasm"))
            .engine(Engine.COMPILER)
            .strategy(InstanceStrategy.valueOf(strategy))
            .build();
    module = ModuleRuntimes.load(spec);
    controller = ModuleAdmissionController.validating(module);
    sandbox = SandboxedModule.builder(spec).build();
    review = Scenario.admissionReview("admission-configmap-create.json");
    request = Json.write(review);
    envelope =
        ("{\"request\":" + new String(request, StandardCharsets.UTF_8) + "}")
            .getBytes(StandardCharsets.UTF_8);
  }

  @TearDown(Level.Trial)
  public void close() {
    controller.close();
    sandbox.close();
  }

  @Benchmark
  public Object admit() {
    return controller.admit(review);
  }

  @Benchmark
  public Object module() {
    return module.evaluate(ReviewKind.ADMISSION, request, AdmissionReview.class);
  }

  @Benchmark
  public int sandbox() {
    return sandbox.evaluate(
        envelope,
        guest -> {
          guest.call("validate");
          return guest.stdout().size();
        });
  }
}
