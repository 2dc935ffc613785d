package dev.k8swasm.cli;

import static dev.k8swasm.server.Fixture.exampleConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.k8swasm.server.Fixture;
import dev.k8swasm.server.WebhookServer;
import dev.k8swasm.server.tls.Pem;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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
    Path ca = dir.resolve("ca.pem");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-jar",
            ServeIT.jar(),
            "serve",
            "--config",
            config.toString(),
            "--address",
            "127.0.0.1",
            "--port",
            "0",
            "--metrics-port",
            "0",
            "--ca-out",
            ca.toString(),
            "--log-fmt",
            "json",
            "--log-level",
            "trace"));
    Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    List<String> stderr = new CopyOnWriteArrayList<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  stderr.add(line);
                  var m = ServeIT.LISTENING.matcher(line);
                  if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                  }
                }
              } catch (Exception e) {
                port.completeExceptionally(e);
              }
            });
    reader.start();
    try {
      int bound = port.get(60, TimeUnit.SECONDS);
      Fixture.await(() -> Files.exists(ca) && Files.size(ca) > 0, "the CA file");
      HttpClient client = Fixture.client(Pem.certificates(ca), null, null);
      String base = "https://localhost:" + bound;
      String magic = Fixture.request("tokenreview-magic.json");
      for (String body : List.of(magic, magic.replace("magic-token", TOKEN))) {
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(URI.create(base + WebhookServer.AUTHENTICATE))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
      }
      Fixture.await(
          () -> stderr.stream().filter(l -> l.contains("\"endpoint\"")).count() >= 2,
          "two request lines");
      assertThat(p.toHandle().destroy()).isTrue();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      reader.join(5000);
    } finally {
      p.destroyForcibly();
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
