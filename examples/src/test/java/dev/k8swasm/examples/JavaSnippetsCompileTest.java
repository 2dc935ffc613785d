package dev.k8swasm.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles every {@code ```java} block of {@code README.md} and {@code docs/*.md} against the test
 * class path (the library, its runtimes, the testing module, JUnit), so a snippet can never drift
 * from the API. A block is one of:
 *
 * <ul>
 *   <li><b>{@code ```java}</b>: a complete compilation unit (package, imports, types), compiled as
 *       it is;
 *   <li><b>{@code ```java fragment}</b>: statements or local classes shown without their
 *       surroundings. It is compiled as the body of a method {@code void fragment() throws
 *       Exception} in a class that imports {@link #FRAGMENT_IMPORTS} (the library's packages, the
 *       testing module, {@code java.util}, JUnit's {@code @Test}, ...), so every name it uses must
 *       be declared in it or come from those packages;
 *   <li>a block right after a {@code <!-- snippet: FILE#REGION -->} marker: a region quoted from a
 *       source the build compiles; {@link DocSnippetsTest} checks that the block is that region, so
 *       it is not compiled here. (A marker quoting a whole file, without {@code #REGION}, is a
 *       complete unit and compiled here too.)
 * </ul>
 *
 * Any other info string after {@code java} fails the test.
 */
class JavaSnippetsCompileTest {
  private static final Path ROOT = Path.of("..");
  private static final Pattern OPEN = Pattern.compile("^(\\s*)(`{3,})java(?:\\s+(.*))?$");
  private static final Pattern QUOTE = Pattern.compile("<!-- snippet: [^# ]+#\\S+ -->");
  private static final Pattern TYPE =
      Pattern.compile(
          "(?m)^(?:public\\s+)?(?:final\\s+|abstract\\s+)*(?:class|interface|enum|record)\\s+(\\w+)");
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");

  /** What a {@code ```java fragment} block may use without importing it. */
  static final List<String> FRAGMENT_IMPORTS =
      List.of(
          "dev.k8swasm.admission.*",
          "dev.k8swasm.admission.rules.*",
          "dev.k8swasm.authn.*",
          "dev.k8swasm.authz.*",
          "dev.k8swasm.config.*",
          "dev.k8swasm.json.*",
          "dev.k8swasm.module.*",
          "dev.k8swasm.observe.*",
          "dev.k8swasm.testing.*",
          "dev.k8swasm.testing.kubewarden.*",
          "java.nio.charset.*",
          "java.nio.file.*",
          "java.time.*",
          "java.util.*",
          "org.junit.jupiter.api.Test",
          "static dev.k8swasm.testing.WasmAssertions.assertThat");

  /** A {@code ```java} block of a document. */
  record Snippet(String document, int line, String kind, String code) {
    String where() {
      return document + ":" + line;
    }
  }

  @Test
  void everyJavaSnippetCompiles(@TempDir Path out) throws IOException {
    List<Snippet> snippets = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Path doc : documents()) {
      snippets.addAll(extract(doc, problems));
    }
    int compiled = 0;
    for (Snippet snippet : snippets) {
      if (snippet.kind().equals("quoted")) {
        continue;
      }
      String error = compile(snippet, out.resolve("s" + compiled));
      compiled++;
      if (error != null) {
        problems.add(error);
      }
    }
    if (!problems.isEmpty()) {
      fail(
          problems.size()
              + " Java snippet(s) in the documentation do not compile (see the Javadoc of "
              + getClass().getSimpleName()
              + " for how snippets are compiled):\n\n"
              + String.join("\n\n", problems));
    }
    assertThat(snippets)
        .as("java blocks in README.md and docs/*.md")
        .extracting(Snippet::document)
        .contains("README.md", "testing.md", "embedding.md");
    assertThat(compiled).as("snippets compiled").isGreaterThanOrEqualTo(6);
    assertThat(snippets).extracting(Snippet::kind).contains("unit", "fragment", "quoted");
  }

  /** The test must fail for a snippet that does not compile, and say where it is and why. */
  @Test
  void aBrokenSnippetFailsWithItsPlaceAndTheCompilerMessage(@TempDir Path dir) throws IOException {
    Path doc = dir.resolve("broken.md");
    Files.writeString(
        doc,
        """
        # A page

        ```java fragment
        TokenReview review = TokenReview.builder().token("t").build();
        review.noSuchMethod();
        ```

          ```java fragment
          List<String> fine = List.of("indented blocks in lists work");
          ```

        ```java
        import dev.k8swasm.authn.TokenReview;

        class Unit {
          TokenReview review = TokenReview.forToken("t", java.util.List.of());
        }
        ```

        ```java kotlin
        ```
        """);
    List<String> problems = new ArrayList<>();
    List<Snippet> snippets = extract(doc, problems);

    assertThat(problems)
        .containsExactly(
            "broken.md:20: unknown info string 'java kotlin': use ```java for a complete compilation"
                + " unit or ```java fragment for statements");
    assertThat(snippets).extracting(Snippet::kind).containsExactly("fragment", "fragment", "unit");
    assertThat(snippets.get(1).code())
        .isEqualTo("List<String> fine = List.of(\"indented blocks in lists work\");\n");
    assertThat(compile(snippets.get(0), dir.resolve("a")))
        .startsWith("broken.md:3 (```java fragment) does not compile:")
        .contains("broken.md:5: cannot find symbol")
        .contains("noSuchMethod()");
    assertThat(compile(snippets.get(1), dir.resolve("b"))).isNull();
    assertThat(compile(snippets.get(2), dir.resolve("c"))).isNull();
  }

  private static List<Path> documents() throws IOException {
    List<Path> documents = new ArrayList<>();
    documents.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
    }
    return documents;
  }

  /** The {@code ```java} blocks of {@code doc}; problems with their info strings are added. */
  static List<Snippet> extract(Path doc, List<String> problems) throws IOException {
    List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
    String name = doc.getFileName().toString();
    List<Snippet> snippets = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher open = OPEN.matcher(lines.get(i));
      if (!open.matches()) {
        continue;
      }
      String indent = open.group(1);
      String fence = open.group(2);
      String info = open.group(3) == null ? "" : open.group(3).trim();
      int start = i;
      StringBuilder code = new StringBuilder();
      for (i++; i < lines.size() && !lines.get(i).strip().equals(fence); i++) {
        String line = lines.get(i);
        code.append(line.startsWith(indent) ? line.substring(indent.length()) : line.strip())
            .append('\n');
      }
      String kind;
      if (start > 0 && QUOTE.matcher(lines.get(start - 1).trim()).matches()) {
        kind = "quoted";
      } else if (info.isEmpty()) {
        kind = "unit";
      } else if (info.equals("fragment")) {
        kind = "fragment";
      } else {
        problems.add(
            name
                + ":"
                + (start + 1)
                + ": unknown info string 'java "
                + info
                + "': use ```java for a complete compilation unit or ```java fragment for"
                + " statements");
        continue;
      }
      snippets.add(new Snippet(name, start + 1, kind, code.toString()));
    }
    return snippets;
  }

  /**
   * Compiles one snippet into {@code out}; null when it compiles, else a message saying why not.
   */
  static String compile(Snippet snippet, Path out) {
    String source;
    String className;
    int offset; // document line of the source's first line
    if (snippet.kind().equals("fragment")) {
      className = "Fragment" + snippet.line();
      StringBuilder s = new StringBuilder();
      FRAGMENT_IMPORTS.forEach(i -> s.append("import ").append(i).append(";"));
      s.append("class ").append(className).append(" { void fragment() throws Exception {\n");
      source = s + snippet.code() + "}}\n";
      offset = snippet.line() - 1; // the wrapper's first line comes before the fragment
    } else {
      Matcher type = TYPE.matcher(snippet.code());
      if (!type.find()) {
        return snippet.where()
            + ": a ```java block must be a complete compilation unit with a class (mark statements"
            + " ```java fragment)";
      }
      Matcher pkg = PACKAGE.matcher(snippet.code());
      className = (pkg.find() ? pkg.group(1) + "." : "") + type.group(1);
      source = snippet.code();
      offset = snippet.line();
    }
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    JavaFileObject file = new Source(className, source);
    List<String> options =
        List.of(
            "-proc:none",
            "-Xlint:none",
            "--release",
            "17",
            "-d",
            out.toString(),
            "-classpath",
            classPath());
    StringWriter output = new StringWriter();
    boolean ok = javac.getTask(output, null, diagnostics, options, null, List.of(file)).call();
    if (ok) {
      return null;
    }
    StringBuilder message =
        new StringBuilder(
            snippet.where()
                + " (```java"
                + (snippet.kind().equals("fragment") ? " fragment" : "")
                + ") does not compile:");
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() != Diagnostic.Kind.ERROR) {
        continue;
      }
      message
          .append("\n  ")
          .append(snippet.document())
          .append(":")
          .append(d.getLineNumber() + offset)
          .append(": ")
          .append(d.getMessage(Locale.ROOT).replace("\n", "\n    "));
    }
    return message.toString();
  }

  /** The test class path: Surefire's, or the JVM's when run elsewhere (an IDE). */
  private static String classPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    String cp = surefire != null ? surefire : System.getProperty("java.class.path");
    return String.join(File.pathSeparator, cp.split(File.pathSeparator));
  }

  private static final class Source extends SimpleJavaFileObject {
    private final String code;

    Source(String className, String code) {
      super(
          URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension),
          Kind.SOURCE);
      this.code = code;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return code;
    }
  }
}
