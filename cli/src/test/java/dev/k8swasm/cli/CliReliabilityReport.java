package dev.k8swasm.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the CLI reliability tests tried ({@code k8s-wasm run} with hostile modules, secrets),
 * written to {@code target/reliability-report.md} and printed when the test run ends. Test classes
 * that record into it register {@link Writer} with {@code @ExtendWith}. Thread-safe.
 */
final class CliReliabilityReport {
  private static final Path REPORT = Path.of("target", "reliability-report.md");

  /** Row (cells) -> count, per table. */
  private static final Map<String, Map<String, long[]>> COUNTS = new ConcurrentSkipListMap<>();

  private static final Map<String, String> HEADERS = new ConcurrentSkipListMap<>();
  private static final List<String> RUNS = new CopyOnWriteArrayList<>();

  private CliReliabilityReport() {}

  static void columns(String table, String... names) {
    HEADERS.putIfAbsent(table, "| " + String.join(" | ", names) + " | count |");
  }

  static synchronized void count(String table, String... cells) {
    COUNTS.computeIfAbsent(table, t -> new ConcurrentSkipListMap<>())
        .computeIfAbsent("| " + String.join(" | ", cells) + " |", k -> new long[1])[0]++;
  }

  /** One {@code k8s-wasm run} that had to end by {@code deadline}: how long it took in all. */
  static void run(String module, String engine, String outcome, Duration deadline, Duration took) {
    RUNS.add(
        String.format(
            Locale.ROOT,
            "| %s | %s | %s | %d ms | %d ms | %d ms |",
            module,
            engine,
            outcome,
            deadline.toMillis(),
            took.toMillis(),
            took.minus(deadline).toMillis()));
  }

  static String render() {
    StringBuilder md = new StringBuilder("# Reliability report: k8s-wasm-cli test suite\n\n");
    md.append("Generated ")
        .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .append(" on Java ")
        .append(System.getProperty("java.version"))
        .append(", ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" processors.\n\n");
    if (!RUNS.isEmpty()) {
      md.append("## Hostile modules through `k8s-wasm run` (in-process)\n\n")
          .append("Wall-clock time of the whole command: reading the request, loading (and for")
          .append(" the compiler compiling) the module, the evaluation, printing. Only the")
          .append(" evaluation is under the deadline.\n\n")
          .append("| module | engine | outcome | deadline | whole run | run minus deadline |\n")
          .append("|---|---|---|---:|---:|---:|\n");
      RUNS.stream().sorted().forEach(r -> md.append(r).append('\n'));
      md.append('\n');
    }
    COUNTS.forEach(
        (table, rows) -> {
          String header = HEADERS.getOrDefault(table, "| row | count |");
          md.append("## ").append(table).append("\n\n").append(header).append('\n');
          md.append("|")
              .append("---|".repeat((int) header.chars().filter(c -> c == '|').count() - 2))
              .append("---:|\n");
          rows.forEach((row, n) -> md.append(row).append(' ').append(n[0]).append(" |\n"));
          md.append('\n');
        });
    return md.toString();
  }

  static void writeAndPrint() {
    if (RUNS.isEmpty() && COUNTS.isEmpty()) {
      return;
    }
    String md = render();
    try {
      Files.createDirectories(REPORT.toAbsolutePath().getParent());
      Files.writeString(REPORT, md, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println();
    System.out.println(md);
    System.out.println("(written to " + REPORT.toAbsolutePath().normalize() + ")");
    System.out.flush();
  }

  /**
   * Writes the report once, when all the JUnit Jupiter tests of the run are done (the root
   * context's store, whose AutoCloseable values JUnit closes, is closed last).
   */
  static final class Writer implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
      context
          .getRoot()
          .getStore(ExtensionContext.Namespace.create(CliReliabilityReport.class))
          .getOrComputeIfAbsent(
              "writer",
              k -> (AutoCloseable) CliReliabilityReport::writeAndPrint,
              AutoCloseable.class);
    }
  }
}
