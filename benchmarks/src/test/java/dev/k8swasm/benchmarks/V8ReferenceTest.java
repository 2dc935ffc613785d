package dev.k8swasm.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.wasi.sandbox.HostImports;
import dev.k8swasm.wasi.sandbox.SandboxedModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The V8 reference ({@code benchmarks/v8/bench.mjs} and its hosts) is as lean as our host and
 * answers as we do: run by Node.js with {@code src/test/node/count-imports.mjs} preloaded, it
 * constructs no {@code node:wasi} WASI object and one import object per module, however many calls
 * it times; and its answers on the benchmark inputs are ours. Needs {@code node} (Node.js 20 or
 * later) on the PATH.
 */
class V8ReferenceTest {
  private static final int CALLS = 25;
  private static final List<String> SCENARIOS =
      List.of("S1", "S2", "S3", "S4", "S4W", "S7", "S8D", "S8R");

  @TempDir static Path dir;
  private static Path root;
  private static Path inputs;

  @BeforeAll
  static void writeInputs() throws IOException {
    root = Fixtures.root();
    inputs = dir.resolve("inputs");
    Inputs.main(new String[] {inputs.toString()});
  }

  @Test
  void theTimedCallsConstructNoWasiObjectAndNoImportObject() throws Exception {
    Path counts = dir.resolve("bench-counts.json");
    JsonNode report =
        node(
            counts,
            root.resolve("benchmarks/v8/bench.mjs").toString(),
            inputs.toString(),
            "--calls",
            String.valueOf(CALLS),
            "--warmup",
            "0");
    JsonNode count = Json.readTree(Files.readAllBytes(counts));
    assertLean(count, CALLS);
    assertThat(count.path("modules")).as("modules instantiated").hasSize(7);
    for (String scenario : SCENARIOS) {
      assertThat(report.path("scenarios").path(scenario).path("calls").asInt())
          .as("timed calls of %s", scenario)
          .isEqualTo(CALLS);
    }
  }

  @Test
  void theCountCatchesAHostThatBuildsItsImportsPerCall() throws Exception {
    Path counts = dir.resolve("node-wasi-counts.json");
    node(
        counts,
        root.resolve("benchmarks/src/test/node/node-wasi-host.mjs").toString(),
        root.resolve("examples/modules/magic_validator.wasm").toString(),
        inputs.resolve("S1.json").toString());
    JsonNode count = Json.readTree(Files.readAllBytes(counts));
    assertThat(count.path("wasiObjects").asInt()).isEqualTo(CALLS);
    assertThat(count.path("modules").path(0).path("importObjects").asInt()).isEqualTo(CALLS);
    assertThatThrownBy(() -> assertLean(count, CALLS))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("wasiObjects")
        .hasMessageContaining("importObjects");
  }

  @Test
  void theV8AnswersAreOurs() throws Exception {
    JsonNode v8 =
        node(
            null,
            root.resolve("benchmarks/v8/bench.mjs").toString(),
            inputs.toString(),
            "--answers");
    // the WASI contract modules: byte for byte what our sandbox's guest writes to stdout
    Map<String, String[]> contract =
        Map.of(
            "S1", new String[] {"magic_validator.wasm", "validate"},
            "S2", new String[] {"magic_authenticator.wasm", "authn"},
            "S3", new String[] {"magic_mutator.wasm", "validate"},
            "S7", new String[] {"magic_validator.wasm", "validate"});
    for (Map.Entry<String, String[]> e : contract.entrySet()) {
      String ours = guestStdout(e.getValue()[0], e.getValue()[1], e.getKey());
      assertThat(v8.path(e.getKey()).asText()).as("V8's answer to %s", e.getKey()).isEqualTo(ours);
      assertThat(Json.readTree(ours.getBytes(StandardCharsets.UTF_8)).path("response").isObject())
          .as("%s answers", e.getKey())
          .isTrue();
    }
    // the Kubewarden policies: V8's ValidationResponse is our AdmissionResponse
    assertThat(v8.path("S4W").path("exitCode").asInt()).isZero();
    assertThat(v8.path("S4W").path("stderr").asText()).isEmpty();
    assertSameDecision("S4", v8.path("S4").asText());
    assertSameDecision("S4W", v8.path("S4W").path("stdout").asText());
    // the real TinyGo policies accept the benchmark's Pod, in V8 and here
    for (String scenario : List.of("S8D", "S8R")) {
      assertThat(Json.readTree(v8.path(scenario).asText().getBytes(StandardCharsets.UTF_8)))
          .as("V8's answer to %s", scenario)
          .isEqualTo(Json.readTree("{\"accepted\":true}".getBytes(StandardCharsets.UTF_8)));
      assertSameDecision(scenario, v8.path(scenario).asText());
    }
  }

  /** Fails unless no WASI object and exactly one import object per module served all calls. */
  static void assertLean(JsonNode count, int calls) {
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(count.path("wasiObjects").asInt()).as("wasiObjects").isZero();
    soft.assertThat(count.path("getImportObject").asInt()).as("getImportObject calls").isZero();
    for (JsonNode module : count.path("modules")) {
      String name = module.path("exports").toString() + " " + module.path("imports").size();
      soft.assertThat(module.path("instances").asInt())
          .as("instances of %s", name)
          .isGreaterThan(calls);
      soft.assertThat(module.path("importObjects").asInt())
          .as("importObjects of %s", name)
          .isEqualTo(1);
      soft.assertThat(module.path("maxFunctionsPerImport").asInt())
          .as("functions per import of %s", name)
          .isEqualTo(1);
    }
    soft.assertAll();
  }

  private static String guestStdout(String file, String export, String scenario)
      throws IOException {
    byte[] envelope = Files.readAllBytes(inputs.resolve(scenario + ".json"));
    ModuleSpec spec =
        ModuleSpec.builder(file)
            .path(Fixtures.module(file))
            .engine(Engine.COMPILER)
            .strategy(InstanceStrategy.FRESH)
            .build();
    try (SandboxedModule<HostImports> sandbox = SandboxedModule.builder(spec).build()) {
      byte[] stdout =
          sandbox.evaluate(
              envelope,
              guest -> {
                guest.call(export);
                return guest.stdout().toByteArray();
              });
      return new String(stdout, StandardCharsets.UTF_8);
    }
  }

  private static void assertSameDecision(String scenario, String v8Answer) throws Exception {
    JsonNode answer = Json.readTree(v8Answer.getBytes(StandardCharsets.UTF_8));
    assertThat(answer.path("accepted").isBoolean())
        .as("%s: V8's answer %s", scenario, answer)
        .isTrue();
    JsonNode ours;
    try (Scenario.Call call =
        Scenario.valueOf(scenario).open(Engine.COMPILER, InstanceStrategy.FRESH)) {
      ours = Json.toTree(call.run()).path("response");
    }
    ObjectNode expected = JsonNodeFactory.instance.objectNode();
    expected.put("allowed", answer.path("accepted").asBoolean());
    expected.put("message", answer.path("message").asText(""));
    expected.put("patched", answer.has("mutated_object"));
    expected.set("warnings", answer.path("warnings"));
    ObjectNode actual = JsonNodeFactory.instance.objectNode();
    actual.put("allowed", ours.path("allowed").asBoolean());
    actual.put("message", ours.path("status").path("message").asText(""));
    actual.put("patched", ours.has("patch"));
    actual.set("warnings", ours.path("warnings"));
    assertThat(actual).as("%s: our answer %s, V8's %s", scenario, ours, answer).isEqualTo(expected);
  }

  /** Runs node with the arguments, optionally with the counting probe; returns its stdout JSON. */
  private static JsonNode node(Path counts, String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("node"));
    if (counts != null) {
      command.add("--import");
      command.add(root.resolve("benchmarks/src/test/node/count-imports.mjs").toUri().toString());
    }
    command.addAll(List.of(arguments));
    Path out = Files.createTempFile(dir, "node", ".out");
    Path err = Files.createTempFile(dir, "node", ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .directory(root.toFile());
    if (counts != null) {
      builder.environment().put("K8SWASM_IMPORT_COUNTS", counts.toString());
    }
    builder.environment().put("CALLS", String.valueOf(CALLS));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new AssertionError(
          "cannot run node (Node.js 20 or later must be on the PATH for the V8 reference): "
              + e.getMessage(),
          e);
    }
    boolean finished = process.waitFor(180, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
    }
    assertThat(finished).as("node %s finished within 180 s", command).isTrue();
    assertThat(process.exitValue())
        .as("exit code of %s; stderr: %s", command, Files.readString(err))
        .isZero();
    return Json.readTree(Files.readAllBytes(out));
  }
}
