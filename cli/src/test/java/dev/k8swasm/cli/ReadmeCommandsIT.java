package dev.k8swasm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k8swasm.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command of README.md that runs the jar ({@code java -jar cli/target/k8s-wasm.jar ...} in a
 * {@code bash} block, lines continued with a backslash joined), run as a user pastes it: with bash,
 * from the repository's root, on the built jar. It must exit 0; when the next fenced block after
 * its {@code bash} block is {@code json} or {@code text}, that is what the last command of the
 * block prints (JSON compared as JSON, text exactly).
 *
 * <p>Commands that need a registry listening on 127.0.0.1:5000 with its {@code sources.yml} (the
 * "Policies from registries" walk-through) are not run here; RegistryIT runs the same subcommands
 * (push, run, inspect, policies) against a registry it starts, on a free port.
 */
class ReadmeCommandsIT {
  static final String JAR_COMMAND = "java -jar cli/target/k8s-wasm.jar";

  /** A README command and the output shown after it, if any. */
  record Example(int line, String command, Optional<String> outputType, Optional<String> output) {
    @Override
    public String toString() {
      return "README.md:" + line + ": " + command;
    }
  }

  static Path root() {
    return Cli.examples().getParent();
  }

  static List<Example> examples() throws IOException {
    List<String> lines = Files.readAllLines(root().resolve("README.md"), StandardCharsets.UTF_8);
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).strip().equals("```bash")) {
        continue;
      }
      List<Example> block = new ArrayList<>();
      int j = i + 1;
      for (; j < lines.size() && !lines.get(j).strip().startsWith("```"); j++) {
        int start = j;
        StringBuilder command = new StringBuilder(lines.get(j));
        while (command.toString().endsWith("\\") && j + 1 < lines.size()) {
          command.setLength(command.length() - 1);
          command.append(' ').append(lines.get(++j).strip());
        }
        String text = command.toString().strip();
        int at = text.indexOf(JAR_COMMAND);
        if (at >= 0) {
          block.add(new Example(start + 1, text.substring(at), Optional.empty(), Optional.empty()));
        }
      }
      // the next fenced block, if it shows output, belongs to the last command of this one
      int k = j + 1;
      while (k < lines.size() && !lines.get(k).strip().startsWith("```")) {
        k++;
      }
      if (!block.isEmpty() && k < lines.size()) {
        String type = lines.get(k).strip().substring(3);
        if (type.equals("json") || type.equals("text")) {
          StringBuilder output = new StringBuilder();
          for (int m = k + 1; m < lines.size() && !lines.get(m).strip().equals("```"); m++) {
            output.append(lines.get(m)).append('\n');
          }
          Example last = block.remove(block.size() - 1);
          block.add(
              new Example(
                  last.line(), last.command(), Optional.of(type), Optional.of(output.toString())));
        }
      }
      examples.addAll(block);
      i = j;
    }
    return examples;
  }

  static boolean needsARegistry(Example e) {
    return e.command().contains("registry://127.0.0.1:5000")
        || e.command().matches(JAR_COMMAND + " (policies|rm)\\b.*");
  }

  static Stream<Example> runnable() throws IOException {
    return examples().stream().filter(e -> !needsARegistry(e));
  }

  @Test
  void theReadmeHasCommandsAndOutputsToCheck() throws IOException {
    List<Example> all = examples();
    assertThat(runnable()).hasSizeGreaterThanOrEqualTo(8);
    assertThat(all.stream().filter(e -> e.output().isPresent())).hasSizeGreaterThanOrEqualTo(4);
    // the quickstart, whose answer the README shows
    assertThat(all.get(0).command())
        .contains("magic_validator.wasm -r examples/requests/admission-configmap-not-allowed.json");
    assertThat(all.get(0).outputType()).contains("json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runnable")
  void worksWhenPastedAndPrintsWhatTheReadmeShows(Example example) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder("bash", "-c", example.command()).directory(root().toFile());
    String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
    pb.environment().put("PATH", javaBin + ":" + pb.environment().getOrDefault("PATH", ""));
    pb.environment().remove("K8S_WASM_DEBUG");
    Process p = pb.start();
    p.getOutputStream().close();
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("did not finish: " + example);
    }
    String stdout = new String(out.join(), StandardCharsets.UTF_8);
    String stderr = new String(err.join(), StandardCharsets.UTF_8);
    String report = example + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;

    assertThat(p.exitValue()).as(report).isZero();
    if (example.outputType().isPresent()) {
      String shown = example.output().orElseThrow();
      if (example.outputType().get().equals("json")) {
        assertThat(Json.readTree(stdout.getBytes(StandardCharsets.UTF_8)))
            .as(report)
            .isEqualTo(Json.readTree(shown.getBytes(StandardCharsets.UTF_8)));
      } else {
        assertThat(stdout).as(report).isEqualTo(shown);
      }
    }
  }

  private static byte[] read(java.io.InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
