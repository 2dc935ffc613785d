package dev.k8swasm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code k8s-wasm} in-process with captured output, and finds the example files. */
final class Cli {
  private Cli() {}

  /** What one run printed and returned. */
  record Result(int exitCode, String out, String err) {
    /** stdout parsed as JSON. */
    JsonNode json() {
      return Json.readTree(out.getBytes(StandardCharsets.UTF_8));
    }

    /** The non-empty lines on stderr. */
    List<String> errLines() {
      return err.lines().filter(l -> !l.isBlank()).toList();
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** Runs {@code new CommandLine(new K8sWasm()).execute(args)}. */
  static Result run(String... args) {
    return run(new CommandLine(new K8sWasm()), args);
  }

  /** Runs with {@code stdin} as standard input. */
  static Result runWithStdin(String stdin, String... args) {
    InputStream saved = System.in;
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    try {
      return run(args);
    } finally {
      System.setIn(saved);
    }
  }

  /** Runs {@code cmd} with captured output. */
  static Result run(CommandLine cmd, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  /** The repository's {@code examples} folder. */
  static Path examples() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("examples");
      if (Files.isDirectory(candidate.resolve("modules"))) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "examples/modules not found above " + Path.of("").toAbsolutePath());
  }

  /**
   * A module in examples/modules, e.g. {@code magic_validator.wasm} or {@code hostile/trap.wasm}.
   */
  static String module(String name) {
    return examples().resolve("modules").resolve(name).toString();
  }

  /** A config file in examples/config. */
  static String config(String name) {
    return examples().resolve("config").resolve(name).toString();
  }

  /** A request file in this module's test resources (src/test/resources/requests). */
  static String request(String name) {
    try {
      return Path.of(Cli.class.getResource("/requests/" + name).toURI()).toString();
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("test request not found: " + name, e);
    }
  }
}
