package dev.k8swasm.server;

import static dev.k8swasm.server.Fixture.exampleConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * curl against the running server with the example configurations and requests: the magic
 * behaviours on all four endpoints, then the counts on /metrics (skipped without curl).
 */
class CurlTest {

  @Test
  void curlReproducesTheMagicBehavioursOnAllFourEndpoints(@TempDir Path dir) throws Exception {
    assumeTrue(available(), "curl is not installed");
    Path config =
        Fixture.write(
            dir.resolve("server.yaml"),
            "authentication:\n  path: "
                + exampleConfig("authentication.yaml")
                + "\n"
                + "authorization:\n  path: "
                + exampleConfig("authorization.yaml")
                + "\n"
                + "admission:\n  path: "
                + exampleConfig("admission-configuration.yaml")
                + "\n");
    try (Fixture.Running s = Fixture.start(config, new Fixture.Flags())) {
      Path ca = Files.writeString(dir.resolve("ca.pem"), s.server.generatedCaPem().orElseThrow());
      Path requests = Fixture.examples().resolve("requests");
      String base = "https://localhost:" + s.server.port();

      JsonNode authn = curl(ca, base + "/authenticate", requests.resolve("tokenreview-magic.json"));
      assertThat(authn.path("status").path("user").path("username").asText())
          .isEqualTo("magic-user");
      JsonNode authz = curl(ca, base + "/authorize", requests.resolve("sar-configmaps.json"));
      assertThat(authz.path("status").path("allowed").asBoolean()).isTrue();
      JsonNode mutate =
          curl(ca, base + "/mutate", requests.resolve("admission-configmap-create.json"));
      assertThat(
              new String(
                  Base64.getDecoder().decode(mutate.path("response").path("patch").asText()),
                  StandardCharsets.UTF_8))
          .contains("/data/magic-value")
          .contains("foobar");
      JsonNode validate =
          curl(ca, base + "/validate", requests.resolve("admission-configmap-not-allowed.json"));
      assertThat(validate.path("response").path("allowed").asBoolean()).isFalse();
      assertThat(validate.path("response").path("status").path("message").asText())
          .contains("value 'not-allowed-value' not allowed in configmap");

      String metrics = run("curl", "-sS", "--fail", "--cacert", ca.toString(), base + "/metrics");
      for (String module :
          List.of("magic-authenticator", "magic-authorizer", "magic-mutator", "magic-validator")) {
        assertThat(Fixture.metric(metrics, "k8swasm_evaluations_total", "module", module))
            .as(module)
            .isEqualTo(1);
      }
      // TLS below 1.2 is refused
      Process old =
          new ProcessBuilder(
                  "curl", "-sS", "--tls-max", "1.1", "--cacert", ca.toString(), base + "/healthz")
              .redirectErrorStream(true)
              .start();
      old.getInputStream().readAllBytes();
      assertThat(old.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(old.exitValue()).isNotZero();
    }
  }

  static JsonNode curl(Path ca, String url, Path body) throws Exception {
    String out =
        run(
            "curl",
            "-sS",
            "--fail",
            "--cacert",
            ca.toString(),
            "-H",
            "Content-Type: application/json",
            "--data-binary",
            "@" + body,
            url);
    return Fixture.json(out);
  }

  static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + err).isZero();
    return new String(out, StandardCharsets.UTF_8);
  }

  static boolean available() {
    try {
      Process p = new ProcessBuilder("curl", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
