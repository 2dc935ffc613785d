package dev.k8swasm.cli;

import static dev.k8swasm.server.Fixture.exampleConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.k8swasm.server.Fixture;
import dev.k8swasm.server.WebhookServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --log-fmt json --log-level trace} as a real process: every line on stderr is a JSON
 * object with timestamp, level and message; the request lines carry their fields; the bearer tokens
 * of TokenReviews appear nowhere, at the most verbose level.
 */
class ServeLogIT {
  private static final String TOKEN = "s3cr3t-log-Qm9vYmFy.ZXhhbXBsZQ_tok";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void jsonLinesCarryTheRequestFieldsAndNoToken(@TempDir Path dir) throws Exception {
    Path config =
        Fixture.write(
            dir.resolve("server.yaml"),
            "authentication:\n  path: " + exampleConfig("authentication.yaml") + "\n");
    List<String> stderr;
    try (ServeProcess serve =
        ServeProcess.start(
            dir,
            List.of(
                "--config",
                config.toString(),
                "--metrics-port",
                "0",
                "--log-fmt",
                "json",
                "--log-level",
                "trace"),
            Map.of())) {
      stderr = serve.stderr();
      String magic = Fixture.request("tokenreview-magic.json");
      for (String body : List.of(magic, magic.replace("magic-token", TOKEN))) {
        HttpResponse<String> r = serve.post(WebhookServer.AUTHENTICATE, body);
        assertThat(r.statusCode()).isEqualTo(200);
      }
      Fixture.await(
          () -> stderr.stream().filter(l -> l.contains("\"endpoint\"")).count() >= 2,
          "two request lines");
      assertThat(serve.stop()).isTrue();
    }
    String all = String.join("\n", stderr);
    assertThat(all).doesNotContain(TOKEN).doesNotContain("magic-token");
    List<JsonNode> lines = new ArrayList<>();
    for (String line : stderr) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode n = JSON.readTree(line);
      assertThat(n.isObject()).as(line).isTrue();
      assertThat(n.path("timestamp").asText()).as(line).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
      assertThat(n.path("level").asText()).as(line).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
      assertThat(n.has("message")).as(line).isTrue();
      lines.add(n);
    }
    // trace level: the libraries' own lines are there too
    assertThat(lines).anySatisfy(n -> assertThat(n.path("level").asText()).isIn("TRACE", "DEBUG"));
    assertThat(lines)
        .anySatisfy(n -> assertThat(n.path("ca_pem").asText()).contains("BEGIN CERTIFICATE"));
    List<JsonNode> requests =
        lines.stream().filter(n -> n.path("endpoint").asText().equals("/authenticate")).toList();
    assertThat(requests).hasSize(2);
    JsonNode first = requests.get(0);
    assertThat(first.path("status").asInt()).isEqualTo(200);
    assertThat(first.path("decision").asText()).isEqualTo("authenticated");
    assertThat(first.path("allowed").isBoolean()).isTrue();
    assertThat(first.path("allowed").asBoolean()).isTrue();
    assertThat(first.path("duration_ms").isNumber()).isTrue();
    assertThat(first.path("request_id").isNumber()).isTrue();
    assertThat(requests.get(1).path("allowed").asBoolean(true)).isFalse();
  }
}
