package dev.k8swasm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * At a terminal the answer is followed by its summary in words on stderr; in a pipe (every other
 * test) stdout and stderr hold only the answer. The terminal is a pseudo-terminal made by
 * util-linux's {@code script}.
 */
class TerminalSummaryIT {

  @Test
  void atATerminalTheSummaryFollowsTheAnswer() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script is not installed");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String command =
        java
            + " -jar "
            + K8sWasmIT.jar().toAbsolutePath()
            + " run "
            + Cli.module("magic_authorizer.wasm")
            + " -r "
            + Cli.examples().resolve("requests/sar-pods.json");
    Process p =
        new ProcessBuilder("/usr/bin/script", "-qec", command, "/dev/null")
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().close();
    byte[] bytes = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String screen = new String(bytes, StandardCharsets.UTF_8).replace("\r", "");

    assertThat(p.exitValue()).as(screen).isZero();
    assertThat(screen)
        .contains("\"allowed\": false")
        .endsWith(
            "}\nDecision:  no opinion (neither allowed nor denied: the next authorizer decides;"
                + " allowed is false on the wire)\n");
  }
}
