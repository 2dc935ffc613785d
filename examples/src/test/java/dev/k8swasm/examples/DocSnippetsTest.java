package dev.k8swasm.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the code in the documentation ({@code README.md}, {@code docs/*.md}, {@code
 * examples/modules/README.md}) identical to the compiled and tested sources it quotes. A quoted
 * block is announced by a comment naming the source file, and optionally a region marked in it with
 * {@code // docs:start NAME} and {@code // docs:end NAME}:
 *
 * <pre>
 * &lt;!-- snippet: examples/src/test/java/.../MagicValidatorTest.java --&gt;
 * ```java
 * ...the file's text...
 * ```
 * </pre>
 *
 * After changing a quoted source, run this test with {@code -Dk8swasm.docs.update=true} to rewrite
 * the blocks.
 */
class DocSnippetsTest {
  private static final Path ROOT = Path.of("..");
  private static final Pattern MARKER = Pattern.compile("<!-- snippet: ([^# ]+)(?:#(\\S+))? -->");

  @Test
  void quotedCodeIsTheCompiledCode() throws IOException {
    boolean update = Boolean.getBoolean("k8swasm.docs.update");
    List<String> problems = new ArrayList<>();
    int snippets = 0;
    List<Path> documents = new ArrayList<>();
    documents.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
    }
    documents.add(ROOT.resolve("examples/modules/README.md"));
    for (Path doc : documents) {
      List<String> lines = new ArrayList<>(Files.readAllLines(doc, StandardCharsets.UTF_8));
      boolean changed = false;
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = MARKER.matcher(lines.get(i).trim());
        if (!m.matches()) {
          continue;
        }
        snippets++;
        String where = doc.getFileName() + ":" + (i + 1);
        List<String> want = source(m.group(1), m.group(2), where);
        int open = i + 1;
        if (open >= lines.size() || !lines.get(open).startsWith("```")) {
          problems.add(where + ": the snippet marker must be followed by a ``` block");
          continue;
        }
        int close = open + 1;
        while (close < lines.size() && !lines.get(close).startsWith("```")) {
          close++;
        }
        List<String> have = lines.subList(open + 1, close);
        if (!have.equals(want)) {
          if (update) {
            have.clear();
            have.addAll(want);
            changed = true;
          } else {
            problems.add(
                where
                    + ": the block differs from "
                    + m.group(1)
                    + (m.group(2) == null ? "" : "#" + m.group(2))
                    + "\n--- expected (the source) ---\n"
                    + String.join("\n", want)
                    + "\n--- but the document has ---\n"
                    + String.join("\n", have));
          }
        }
      }
      if (changed) {
        Files.write(doc, lines, StandardCharsets.UTF_8);
      }
    }
    if (!problems.isEmpty()) {
      fail(
          String.join("\n\n", problems)
              + "\n\n(rerun with -Dk8swasm.docs.update=true to copy the sources into the docs)");
    }
    assertThat(snippets).as("snippets in the documents").isGreaterThanOrEqualTo(8);
  }

  /** The lines of {@code file}, or of its region {@code region}, without common indentation. */
  private static List<String> source(String file, String region, String where) throws IOException {
    Path path = ROOT.resolve(file);
    assertThat(path).as(where + ": the quoted file").isRegularFile();
    List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    if (region == null) {
      return lines;
    }
    int start = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      String t = lines.get(i).trim();
      if (t.equals("// docs:start " + region)) {
        start = i + 1;
      } else if (t.equals("// docs:end " + region)) {
        end = i;
      }
    }
    assertThat(start).as(where + ": '// docs:start " + region + "' in " + file).isPositive();
    assertThat(end).as(where + ": '// docs:end " + region + "' in " + file).isGreaterThan(start);
    List<String> part = lines.subList(start, end);
    int indent =
        part.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    return part.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList();
  }
}
