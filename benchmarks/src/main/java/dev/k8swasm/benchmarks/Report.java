package dev.k8swasm.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes {@code latest.md} and {@code latest.json} from the results of one {@code run.sh}: the JMH
 * result files, the V8 reference ({@code bench.mjs}) and the native reference ({@code harness.c}),
 * as the benchmark protocol asks: absolute figures for context and ratios against the references
 * measured in the same run.
 *
 * <p>Usage: {@code Report --out DIR --mode quick|full --inputs DIR --v8 FILE --native FILE [--load
 * TEXT] JMH.json...}
 */
public final class Report {
  private static final String EVAL = "dev.k8swasm.benchmarks.EvaluationBenchmark.";
  private static final String COLD = "dev.k8swasm.benchmarks.ColdStartBenchmark.load";
  private static final String BREAKDOWN = "dev.k8swasm.benchmarks.BreakdownBenchmark.";

  private final Map<String, String> options = new LinkedHashMap<>();
  private final List<Path> jmhFiles = new ArrayList<>();
  private final Map<String, ObjectNode> rows = new LinkedHashMap<>();
  private final List<ObjectNode> cold = new ArrayList<>();
  private final Map<String, Double> breakdown = new LinkedHashMap<>();
  private JsonNode jvm;

  private Report(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        options.put(args[i].substring(2), args[++i]);
      } else {
        jmhFiles.add(Path.of(args[i]));
      }
    }
  }

  public static void main(String[] args) throws IOException {
    new Report(args).run();
  }

  private JsonNode readOptional(String option) throws IOException {
    String file = options.get(option);
    if (file == null || !Files.isRegularFile(Path.of(file)) || Files.size(Path.of(file)) == 0) {
      return JsonNodeFactory.instance.objectNode();
    }
    return Json.readTree(Files.readAllBytes(Path.of(file)));
  }

  private void run() throws IOException {
    for (Path file : jmhFiles) {
      if (Files.isRegularFile(file) && Files.size(file) > 0) {
        for (JsonNode result : Json.readTree(Files.readAllBytes(file))) {
          add(result);
        }
      }
    }
    JsonNode v8 = readOptional("v8");
    JsonNode nativeRef = readOptional("native");
    for (ObjectNode row : rows.values()) {
      String scenario = row.path("scenario").asText();
      reference(row, "v8", v8.path("scenarios").path(scenario));
      reference(row, "native", nativeRef.path(scenario));
      if (scenario.equals("S7")) {
        long bytes = inputSize("S7");
        if (bytes > 0 && row.has("mean_us")) {
          row.put("request_bytes", bytes);
          row.put("mb_per_s", round(bytes / row.get("mean_us").asDouble()));
        }
      }
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("generated", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    out.put("mode", options.getOrDefault("mode", "quick"));
    ObjectNode machine = out.putObject("machine");
    machine.put("cpus", Runtime.getRuntime().availableProcessors());
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    machine.put("arch", System.getProperty("os.arch"));
    machine.put("load_average", options.getOrDefault("load", "unknown"));
    out.set("jvm", jvm == null ? JsonNodeFactory.instance.objectNode() : jvm);
    ObjectNode refs = out.putObject("references");
    refs.put("node", v8.path("node").asText("not run"));
    refs.put("v8", v8.path("v8").asText(""));
    refs.put("v8_host", v8.path("host").asText(""));
    refs.put("native", options.getOrDefault("native-compiler", "gcc -O2"));
    ArrayNode results = out.putArray("results");
    rows.values().forEach(results::add);
    ArrayNode coldStart = out.putArray("cold_start");
    cold.forEach(coldStart::add);
    if (v8.path("cold").has("big_validator_compile_ms_median")) {
      ObjectNode reference = out.putObject("cold_start_reference");
      reference.put(
          "v8_compile_big_validator_ms",
          round(v8.path("cold").path("big_validator_compile_ms_median").asDouble()));
      if (v8.path("cold").has("big_validator_compile_eager_ms_median")) {
        reference.put(
            "v8_compile_big_validator_eager_ms",
            round(v8.path("cold").path("big_validator_compile_eager_ms_median").asDouble()));
      }
    }
    if (!breakdown.isEmpty()) {
      ObjectNode b = out.putObject("s1_breakdown_us");
      breakdown.forEach((k, v) -> b.put(k, round(v)));
    }
    out.set("targets", targets(v8));
    Path dir = Path.of(options.getOrDefault("out", "benchmarks/results"));
    Files.createDirectories(dir);
    Files.write(
        dir.resolve("latest.json"),
        Json.writer().withDefaultPrettyPrinter().writeValueAsBytes(out));
    Files.writeString(dir.resolve("latest.md"), markdown(out), StandardCharsets.UTF_8);
    System.out.println("wrote " + dir.resolve("latest.md") + " and " + dir.resolve("latest.json"));
  }

  private long inputSize(String scenario) {
    try {
      Path file =
          Path.of(options.getOrDefault("inputs", "benchmarks/target/inputs"), scenario + ".json");
      return Files.isRegularFile(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private void add(JsonNode result) {
    String benchmark = result.path("benchmark").asText();
    if (jvm == null) {
      ObjectNode j = JsonNodeFactory.instance.objectNode();
      j.put("version", result.path("jdkVersion").asText());
      j.put("vm", result.path("vmName").asText() + " " + result.path("vmVersion").asText());
      j.set("args", result.path("jvmArgs"));
      j.put("jmh", result.path("jmhVersion").asText());
      j.put("forks", result.path("forks").asInt());
      j.put(
          "warmup",
          result.path("warmupIterations").asInt() + " x " + result.path("warmupTime").asText());
      j.put(
          "measurement",
          result.path("measurementIterations").asInt()
              + " x "
              + result.path("measurementTime").asText());
      jvm = j;
    }
    JsonNode params = result.path("params");
    JsonNode primary = result.path("primaryMetric");
    if (benchmark.startsWith(EVAL)) {
      String method = benchmark.substring(EVAL.length());
      String key =
          params.path("scenario").asText()
              + "/"
              + params.path("strategy").asText()
              + "/"
              + params.path("engine").asText();
      ObjectNode row =
          rows.computeIfAbsent(
              key,
              k -> {
                ObjectNode r = JsonNodeFactory.instance.objectNode();
                r.put("scenario", params.path("scenario").asText());
                r.put("strategy", params.path("strategy").asText().toLowerCase(Locale.ROOT));
                r.put("engine", params.path("engine").asText().toLowerCase(Locale.ROOT));
                return r;
              });
      switch (method) {
        case "latency" -> {
          JsonNode p = primary.path("scorePercentiles");
          row.put("p50_us", round(p.path("50.0").asDouble()));
          row.put("p99_us", round(p.path("99.0").asDouble()));
          row.put("mean_us", round(primary.path("score").asDouble()));
          JsonNode alloc = result.path("secondaryMetrics").path("gc.alloc.rate.norm");
          if (!alloc.isMissingNode()) {
            row.put("alloc_bytes_per_op", Math.round(alloc.path("score").asDouble()));
          }
        }
        case "throughput1" -> row.put("ops_per_s", Math.round(primary.path("score").asDouble()));
        case "throughput2" ->
            row.put("ops_per_s_2_threads", Math.round(primary.path("score").asDouble()));
        default -> {}
      }
      if (row.has("ops_per_s") && row.has("ops_per_s_2_threads")) {
        row.put(
            "scaling_2_threads",
            round(row.get("ops_per_s_2_threads").asDouble() / row.get("ops_per_s").asDouble()));
      }
    } else if (benchmark.equals(COLD)) {
      ObjectNode c = JsonNodeFactory.instance.objectNode();
      c.put("module", params.path("module").asText());
      c.put("cache", params.path("cache").asText());
      c.put("mean_ms", round(primary.path("score").asDouble()));
      JsonNode p = primary.path("scorePercentiles");
      c.put("min_ms", round(p.path("0.0").asDouble()));
      c.put("max_ms", round(p.path("100.0").asDouble()));
      c.put("shots", primary.path("rawData").path(0).size());
      cold.add(c);
    } else if (benchmark.startsWith(BREAKDOWN)) {
      breakdown.put(
          benchmark.substring(BREAKDOWN.length())
              + "_"
              + params.path("strategy").asText().toLowerCase(Locale.ROOT),
          primary.path("score").asDouble());
    }
  }

  private static void reference(ObjectNode row, String name, JsonNode ref) {
    if (!ref.has("p50_us")) {
      return;
    }
    row.put(name + "_p50_us", round(ref.path("p50_us").asDouble()));
    row.put(name + "_mean_us", round(ref.path("mean_us").asDouble()));
    if (row.has("p50_us")) {
      row.put(
          "ratio_p50_vs_" + name,
          round(row.get("p50_us").asDouble() / ref.path("p50_us").asDouble()));
    }
  }

  private ArrayNode targets(JsonNode v8) {
    ArrayNode targets = JsonNodeFactory.instance.arrayNode();
    ObjectNode s1 = rows.get("S1/SNAPSHOT/COMPILER");
    ObjectNode s4 = rows.get("S4/SNAPSHOT/COMPILER");
    target(targets, "S1 snapshot p50 (us)", s1, "p50_us", 15, true);
    target(targets, "S1 snapshot p50 / V8 fresh-instance p50", s1, "ratio_p50_vs_v8", 0.5, true);
    target(targets, "S4 snapshot p50 / V8 fresh-instance p50", s4, "ratio_p50_vs_v8", 0.5, true);
    target(
        targets,
        "S8D (real TinyGo deny-list policy) snapshot p50 / V8 fresh-instance p50",
        rows.get("S8D/SNAPSHOT/COMPILER"),
        "ratio_p50_vs_v8",
        0.25,
        true);
    target(
        targets,
        "S8R (real TinyGo regexp labels policy) snapshot p50 / V8 fresh-instance p50",
        rows.get("S8R/SNAPSHOT/COMPILER"),
        "ratio_p50_vs_v8",
        1.5,
        true);
    target(
        targets,
        "S1 snapshot throughput, 2 threads / 1 thread",
        s1,
        "scaling_2_threads",
        1.6,
        false);
    ObjectNode big = null;
    for (ObjectNode c : cold) {
      if (c.path("module").asText().equals("big_validator")
          && c.path("cache").asText().equals("cached")) {
        big = c;
      }
    }
    target(targets, "cold start of the cached 1 MB+ module (ms)", big, "mean_ms", 300, true);
    return targets;
  }

  private static void target(
      ArrayNode targets, String name, ObjectNode row, String field, double limit, boolean atMost) {
    ObjectNode t = targets.addObject();
    t.put("target", name);
    t.put("limit", (atMost ? "<= " : ">= ") + limit);
    if (row == null || !row.has(field)) {
      t.putNull("value");
      t.put("met", false);
      t.put("note", "not measured in this run");
      return;
    }
    double value = row.get(field).asDouble();
    t.put("value", value);
    t.put("met", atMost ? value <= limit : value >= limit);
  }

  private static double round(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return v;
    }
    double scale = Math.abs(v) >= 100 ? 10 : Math.abs(v) >= 1 ? 100 : 1000;
    return Math.round(v * scale) / scale;
  }

  private static String num(JsonNode node, String field) {
    JsonNode v = node.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return "-";
    }
    double d = v.asDouble();
    if (d == Math.rint(d) && Math.abs(d) >= 1000) {
      return String.format(Locale.ROOT, "%,d", (long) d);
    }
    return v.asText();
  }

  private static String markdown(JsonNode out) {
    StringBuilder md = new StringBuilder();
    md.append("# k8s-wasm benchmark results (")
        .append(out.path("mode").asText())
        .append(" run)\n\n");
    md.append("Generated ").append(out.path("generated").asText()).append(" by `benchmarks/run.sh");
    md.append(out.path("mode").asText().equals("quick") ? " --quick" : "").append("`. ");
    md.append("Machine: ")
        .append(out.path("machine").path("cpus").asInt())
        .append(" CPUs, ")
        .append(out.path("machine").path("os").asText())
        .append(", load average at start ")
        .append(out.path("machine").path("load_average").asText())
        .append(". ");
    JsonNode jvm = out.path("jvm");
    md.append("JVM: ")
        .append(jvm.path("vm").asText())
        .append(" (")
        .append(jvm.path("version").asText())
        .append("), flags `")
        .append(String.join(" ", strings(jvm.path("args"))))
        .append("`, JMH ")
        .append(jvm.path("jmh").asText())
        .append(", ")
        .append(jvm.path("forks").asInt())
        .append(" fork(s), warm-up ")
        .append(jvm.path("warmup").asText())
        .append(", measurement ")
        .append(jvm.path("measurement").asText())
        .append(". ");
    md.append("References: Node.js ")
        .append(out.path("references").path("node").asText())
        .append(" (V8 ")
        .append(out.path("references").path("v8").asText())
        .append("), native ")
        .append(out.path("references").path("native").asText())
        .append(".\n\n");
    md.append(
            "Per call on one thread (p50, p99, mean in microseconds, JMH sample mode), throughput on one and two threads, ")
        .append(
            "bytes allocated per call (`-prof gc`), and the p50 ratio against the V8 reference (a fresh ")
        .append(
            "`WebAssembly.Instance` per call; its WASI, waPC and Kubewarden imports are plain JS over in-memory ")
        .append(
            "buffers, built once per module: `benchmarks/v8/hosts.mjs`) and the native reference (gcc -O2) ")
        .append("measured in the same run. ")
        .append(
            "The machine is shared and noisy: compare ratios, not absolute numbers across runs.\n\n");
    md.append("## Targets\n\n| target | limit | value | met |\n|---|---|---|---|\n");
    for (JsonNode t : out.path("targets")) {
      md.append("| ")
          .append(t.path("target").asText())
          .append(" | ")
          .append(t.path("limit").asText())
          .append(" | ")
          .append(t.path("value").isNull() ? "not measured" : t.path("value").asText())
          .append(" | ")
          .append(t.path("met").asBoolean() ? "yes" : "**no**")
          .append(" |\n");
    }
    md.append("\n## Evaluations\n\n");
    md.append(
        "| scenario | strategy | engine | p50 µs | p99 µs | mean µs | ops/s 1 thread | ops/s 2 threads | B/op | V8 p50 µs | ×V8 | native p50 µs | ×native |\n");
    md.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (JsonNode r : out.path("results")) {
      md.append("| ")
          .append(r.path("scenario").asText())
          .append(" | ")
          .append(r.path("strategy").asText())
          .append(" | ")
          .append(r.path("engine").asText());
      for (String f :
          List.of(
              "p50_us",
              "p99_us",
              "mean_us",
              "ops_per_s",
              "ops_per_s_2_threads",
              "alloc_bytes_per_op",
              "v8_p50_us",
              "ratio_p50_vs_v8",
              "native_p50_us",
              "ratio_p50_vs_native")) {
        md.append(" | ").append(num(r, f));
      }
      md.append(" |\n");
    }
    for (JsonNode r : out.path("results")) {
      if (r.has("mb_per_s")) {
        md.append("\nS7 (")
            .append(r.path("strategy").asText())
            .append(", ")
            .append(r.path("engine").asText())
            .append("): ")
            .append(r.path("request_bytes").asLong())
            .append("-byte request, ")
            .append(r.path("mb_per_s").asText())
            .append(" MB/s.");
      }
    }
    md.append(
            "\n\n## Cold start (S6)\n\nLoading a module until it is ready to evaluate (read, parse, check, compile or load ")
        .append(
            "the compiled classes from the compile cache, initialise and snapshot), single shots in a JVM that ")
        .append(
            "has loaded other modules before.\n\n| module | compile cache | mean ms | min ms | max ms |\n|---|---|---:|---:|---:|\n");
    for (JsonNode c : out.path("cold_start")) {
      md.append("| ")
          .append(c.path("module").asText())
          .append(" | ")
          .append(c.path("cache").asText())
          .append(" | ")
          .append(num(c, "mean_ms"))
          .append(" | ")
          .append(num(c, "min_ms"))
          .append(" | ")
          .append(num(c, "max_ms"))
          .append(" |\n");
    }
    if (out.has("cold_start_reference")) {
      JsonNode reference = out.path("cold_start_reference");
      md.append("\nV8 compiles big_validator.wasm in ")
          .append(reference.path("v8_compile_big_validator_ms").asText())
          .append(
              " ms with its defaults (lazily: the module is validated, each function is compiled by"
                  + " Liftoff on its first call)");
      if (reference.has("v8_compile_big_validator_eager_ms")) {
        md.append(", in ")
            .append(reference.path("v8_compile_big_validator_eager_ms").asText())
            .append(" ms eagerly (every function by Liftoff)");
      }
      md.append("; median of 5, different bytes each time, so that no cache answers.\n");
    }
    if (out.has("s1_breakdown_us")) {
      md.append("\n## Where S1's time goes (mean µs)\n\n| part | µs |\n|---|---:|\n");
      out.path("s1_breakdown_us")
          .fields()
          .forEachRemaining(
              e ->
                  md.append("| ")
                      .append(e.getKey())
                      .append(" | ")
                      .append(e.getValue().asText())
                      .append(" |\n"));
    }
    return md.toString();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
