package dev.k8swasm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code --log-fmt} and {@code --log-level}: Logback configured in code, lines on stderr. */
class LoggingTest {
  private final PrintStream err = System.err;

  @AfterEach
  void restore() {
    System.setErr(err);
    Logging.format(Logging.Format.TEXT);
    Logging.level(null);
  }

  private static String capture(Runnable r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream old = System.err;
    System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setErr(old);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void jsonLinesHaveTimestampLevelMessageAndTheKeyValuePairsAsTypedFields() throws Exception {
    Logging.format(Logging.Format.JSON);
    Logging.level(Logging.LogLevel.INFO);
    Logger log = LoggerFactory.getLogger("dev.k8swasm.server.access");
    String out =
        capture(
            () -> {
              log.atInfo()
                  .addKeyValue("policy_id", "psp-capabilities")
                  .addKeyValue("request_uid", "uid-1")
                  .addKeyValue("allowed", false)
                  .addKeyValue("duration_ms", 1.5)
                  .addKeyValue("status", 200)
                  .addKeyValue("message", "a field named like a reserved one")
                  .log("request \"quoted\"\nsecond line");
              log.debug("not shown at info");
              log.warn("failed", new IllegalStateException("boom"));
            });
    String[] lines = out.split("\n");
    assertThat(lines).hasSize(2);
    ObjectMapper json = new ObjectMapper();
    JsonNode n = json.readTree(lines[0]);
    assertThat(n.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(n.path("level").asText()).isEqualTo("INFO");
    assertThat(n.path("logger").asText()).isEqualTo("dev.k8swasm.server.access");
    assertThat(n.path("message").asText()).isEqualTo("request \"quoted\"\nsecond line");
    assertThat(n.path("policy_id").asText()).isEqualTo("psp-capabilities");
    assertThat(n.path("request_uid").asText()).isEqualTo("uid-1");
    assertThat(n.path("allowed").isBoolean()).isTrue();
    assertThat(n.path("duration_ms").asDouble()).isEqualTo(1.5);
    assertThat(n.path("status").isIntegralNumber()).isTrue();
    assertThat(n.path("field_message").asText()).isEqualTo("a field named like a reserved one");
    JsonNode warn = json.readTree(lines[1]);
    assertThat(warn.path("level").asText()).isEqualTo("WARN");
    assertThat(warn.path("error").asText()).contains("IllegalStateException: boom");
  }

  @Test
  void textLinesAreLevelLoggerMessageAndTheLevelApplies() {
    Logging.format(Logging.Format.TEXT);
    Logging.level(Logging.LogLevel.ERROR);
    Logger log = LoggerFactory.getLogger("dev.k8swasm.progress");
    String quiet = capture(() -> log.warn("hidden"));
    assertThat(quiet).isEmpty();
    Logging.level(Logging.LogLevel.TRACE);
    String out = capture(() -> log.trace("compiling {}", "m.wasm"));
    assertThat(out).isEqualTo("TRACE progress - compiling m.wasm\n");
  }

  @Test
  void flagsAreReadBeforeTheCommandLineIsParsed() {
    Logging.configure(new String[] {"serve", "--log-fmt=json", "--log-level", "debug"}, Map.of());
    assertThat(Logging.json()).isTrue();
    Logger log = LoggerFactory.getLogger("x");
    assertThat(log.isDebugEnabled()).isTrue();
    assertThat(log.isTraceEnabled()).isFalse();
    Logging.configure(new String[] {"run", "--", "--log-fmt", "text"}, Map.of());
    assertThat(Logging.json()).isTrue();
    // policy-server's environment variables, overridden by the flags
    Logging.configure(
        new String[] {"serve"},
        Map.of("KUBEWARDEN_LOG_FMT", "otlp", "KUBEWARDEN_LOG_LEVEL", "info"));
    assertThat(Logging.otlp()).isTrue();
    assertThat(log.isInfoEnabled()).isTrue();
    assertThat(log.isDebugEnabled()).isFalse();
    Logging.configure(
        new String[] {"serve", "--log-fmt", "json"}, Map.of("KUBEWARDEN_LOG_FMT", "text"));
    assertThat(Logging.json()).isTrue();
  }

  @Test
  void theFlagsAreAcceptedByEveryCommand() {
    java.util.List<picocli.CommandLine> leaves = new java.util.ArrayList<>();
    java.util.Deque<picocli.CommandLine> todo =
        new java.util.ArrayDeque<>(K8sWasm.commandLine().getSubcommands().values());
    while (!todo.isEmpty()) {
      picocli.CommandLine c = todo.pop();
      var subs = c.getSubcommands();
      if (subs.keySet().stream().allMatch(n -> n.equals("help"))) {
        leaves.add(c);
      } else {
        subs.forEach((n, s) -> todo.push(s));
      }
    }
    assertThat(leaves).hasSizeGreaterThan(5);
    for (picocli.CommandLine c : leaves) {
      if (c.getCommandName().equals("help")) {
        continue;
      }
      var spec = c.getCommandSpec();
      assertThat(spec.findOption("--log-fmt")).as(spec.qualifiedName()).isNotNull();
      assertThat(spec.findOption("--log-level")).as(spec.qualifiedName()).isNotNull();
    }
  }
}
