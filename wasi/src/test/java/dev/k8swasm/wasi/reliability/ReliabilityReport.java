package dev.k8swasm.wasi.reliability;

import dev.k8swasm.module.Engine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * What the reliability tests tried, collected while they run and written at the end of the test run
 * to {@code target/reliability-report.md} and to stdout (by {@link ReportWriter}). Counts only what
 * actually ran, so a filtered run gives a partial report. Thread-safe.
 */
public final class ReliabilityReport {
  /** Counts per table and row; rows are kept sorted by their cells. */
  private static final Map<String, Map<List<String>, AtomicLong>> COUNTS =
      new ConcurrentSkipListMap<>();

  private static final Map<String, List<String>> HEADERS = new ConcurrentSkipListMap<>();

  /** Timings per engine and category: count, max elapsed and max overrun past the deadline. */
  private static final Map<List<String>, Timing> TIMINGS =
      new ConcurrentSkipListMap<>(ReliabilityReport::compareRows);

  private static final List<String> NOTES = new CopyOnWriteArrayList<>();

  private ReliabilityReport() {}

  /** Declares the column names of {@code table}; the last column is always the count. */
  public static void columns(String table, String... names) {
    HEADERS.putIfAbsent(table, List.of(names));
  }

  /** Counts one occurrence of the row {@code cells} in {@code table}. */
  public static void count(String table, String... cells) {
    COUNTS
        .computeIfAbsent(table, t -> new ConcurrentSkipListMap<>(ReliabilityReport::compareRows))
        .computeIfAbsent(List.of(cells), c -> new AtomicLong())
        .incrementAndGet();
  }

  /**
   * Records how long something that must end by {@code deadline} took, in category {@code what}
   * (e.g. "API: hostile modules"); {@code label} names the case (e.g. the module).
   */
  public static void elapsed(
      String what, Engine engine, String label, Duration deadline, Duration elapsed) {
    TIMINGS
        .computeIfAbsent(List.of(what, name(engine)), k -> new Timing())
        .add(label, deadline, elapsed);
  }

  /** A line of free text for the "Notes" section (e.g. heap and wall-clock figures). */
  public static void note(String text) {
    NOTES.add(text);
  }

  /** The engine as the CLI and configuration spell it. */
  public static String name(Engine engine) {
    return engine.name().toLowerCase(Locale.ROOT);
  }

  /** Whether anything was recorded. */
  static boolean isEmpty() {
    return COUNTS.isEmpty() && TIMINGS.isEmpty() && NOTES.isEmpty();
  }

  /** The report as Markdown. */
  public static String render(String title) {
    StringBuilder md = new StringBuilder();
    Runtime rt = Runtime.getRuntime();
    md.append("# ").append(title).append("\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Generated %s on Java %s (%s), %d processors, max heap %d MiB, JVM flags %s.%n%n",
            Instant.now().truncatedTo(ChronoUnit.SECONDS),
            System.getProperty("java.version"),
            System.getProperty("java.vm.name"),
            rt.availableProcessors(),
            rt.maxMemory() >> 20,
            ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-X"))
                .toList()));
    if (!TIMINGS.isEmpty()) {
      md.append("## Time to a result, against the deadline\n\n");
      md.append(
          "Wall-clock time of each evaluation that had to end by its deadline (hostile modules,"
              + " fuzz cases). Overrun = elapsed minus deadline, for the evaluations that ran"
              + " into the deadline (negative: all ended before it).\n\n");
      md.append(
          "| what | engine | evaluations | deadline | max elapsed | max overrun | slowest |\n");
      md.append("|---|---|---:|---:|---:|---:|---|\n");
      TIMINGS.forEach(
          (key, t) ->
              md.append(
                  String.format(
                      Locale.ROOT,
                      "| %s | %s | %d | %s | %s | %s | %s |%n",
                      key.get(0),
                      key.get(1),
                      t.count.get(),
                      t.deadlines(),
                      millis(t.maxElapsed.get()),
                      millis(t.maxOverrun.get()),
                      t.slowest)));
      md.append('\n');
    }
    COUNTS.forEach(
        (table, rows) -> {
          md.append("## ").append(table).append("\n\n");
          List<String> headers = new ArrayList<>(HEADERS.getOrDefault(table, List.of()));
          int width = rows.keySet().stream().mapToInt(List::size).max().orElse(0);
          while (headers.size() < width) {
            headers.add("");
          }
          headers.add("count");
          md.append("| ").append(String.join(" | ", headers)).append(" |\n");
          md.append("|").append("---|".repeat(headers.size() - 1)).append("---:|\n");
          long total = 0;
          for (Map.Entry<List<String>, AtomicLong> row : rows.entrySet()) {
            List<String> cells = new ArrayList<>(row.getKey());
            while (cells.size() < width) {
              cells.add("");
            }
            cells.add(Long.toString(row.getValue().get()));
            total += row.getValue().get();
            md.append("| ").append(String.join(" | ", cells)).append(" |\n");
          }
          md.append("| **total** |")
              .append(" |".repeat(width - 1))
              .append(" **")
              .append(total)
              .append("** |\n\n");
        });
    if (!NOTES.isEmpty()) {
      md.append("## Notes\n\n");
      NOTES.forEach(n -> md.append("- ").append(n).append('\n'));
      md.append('\n');
    }
    return md.toString();
  }

  /** Writes the report to {@code file} and prints it to stdout. */
  public static void writeAndPrint(Path file, String title) {
    if (isEmpty()) {
      return;
    }
    String md = render(title);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, md, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println();
    System.out.println(md);
    System.out.println("(written to " + file.toAbsolutePath().normalize() + ")");
    System.out.flush();
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
  }

  private static int compareRows(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  private static final class Timing {
    final AtomicLong count = new AtomicLong();
    final LongAccumulator maxElapsed = new LongAccumulator(Math::max, Long.MIN_VALUE);
    final LongAccumulator maxOverrun = new LongAccumulator(Math::max, Long.MIN_VALUE);
    final LongAccumulator minDeadline = new LongAccumulator(Math::min, Long.MAX_VALUE);
    final LongAccumulator maxDeadline = new LongAccumulator(Math::max, Long.MIN_VALUE);

    volatile String slowest = "";

    synchronized void add(String label, Duration deadline, Duration elapsed) {
      if (elapsed.toNanos() - deadline.toNanos() > maxOverrun.get()) {
        slowest = label;
      }
      count.incrementAndGet();
      maxElapsed.accumulate(elapsed.toNanos());
      maxOverrun.accumulate(elapsed.toNanos() - deadline.toNanos());
      minDeadline.accumulate(deadline.toNanos());
      maxDeadline.accumulate(deadline.toNanos());
    }

    String deadlines() {
      long min = minDeadline.get();
      long max = maxDeadline.get();
      return min == max
          ? millis(min).replace(".0 ms", " ms")
          : millis(min).replace(".0 ms", "") + "-" + millis(max).replace(".0 ms", " ms");
    }
  }
}
