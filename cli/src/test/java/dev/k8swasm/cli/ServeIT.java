package dev.k8swasm.cli;

import static dev.k8swasm.server.Fixture.exampleConfig;
import static dev.k8swasm.server.Fixture.module;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar k8s-wasm.jar serve} as a real process: it prints its generated CA, serves, and
 * on SIGTERM finishes the request in flight before exiting.
 */
class ServeIT {
  static final Pattern LISTENING = Pattern.compile("listening on https://[^:]+:(\\d+)");

  @Test
  void servesAndStopsGracefullyOnSigterm(@TempDir Path dir) throws Exception {
    Path config =
        Fixture.write(
            dir.resolve("server.yaml"),
            "authentication:\n  path: "
                + exampleConfig("authentication.yaml")
                + "\n"
                + "authorization:\n  modules:\n"
                + Fixture.moduleEntry("slow", module("hostile/loop_br.wasm"), "timeout: 1500ms"));
    Path ca = dir.resolve("ca.pem");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-jar",
            jar(),
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
            ca.toString()));
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
                  Matcher m = LISTENING.matcher(line);
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
      Fixture.await(
          () -> stderr.stream().anyMatch(l -> l.contains("The CA was written")), "the CA");
      HttpClient client = Fixture.client(Pem.certificates(ca), null, null);
      String base = "https://localhost:" + bound;
      HttpResponse<String> authn =
          client.send(
              HttpRequest.newBuilder(URI.create(base + WebhookServer.AUTHENTICATE))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          Fixture.request("tokenreview-magic.json")))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(authn.statusCode()).isEqualTo(200);
      assertThat(authn.body()).contains("magic-user").doesNotContain("magic-token");

      CompletableFuture<HttpResponse<String>> inFlight =
          client.sendAsync(
              HttpRequest.newBuilder(URI.create(base + WebhookServer.AUTHORIZE))
                  .POST(HttpRequest.BodyPublishers.ofString(Fixture.request("sar-configmaps.json")))
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Thread.sleep(500);
      // SIGTERM (Process.destroy() would also close our end of its stderr)
      assertThat(p.toHandle().destroy()).isTrue();
      HttpResponse<String> answered = inFlight.get(30, TimeUnit.SECONDS);
      assertThat(answered.statusCode()).isEqualTo(200);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      reader.join(5000);
      assertThat(p.exitValue()).isEqualTo(143);
      assertThat(stderr).anySatisfy(l -> assertThat(l).contains("stopped after"));
      // the start-up line names both ports as numbers (it once said "Optional[46607]")
      assertThat(stderr)
          .anySatisfy(
              l ->
                  assertThat(l)
                      .containsPattern(
                          "listening on https://127.0.0.1:\\d+ metrics on"
                              + " http://127.0.0.1:\\d+ ")
                      .doesNotContain("Optional"));
      assertThat(String.join("\n", stderr))
          .contains("configuration loaded generation=1")
          .contains("endpoint=/authenticate status=200 decision=authenticated")
          .doesNotContain("magic-token");
    } finally {
      p.destroyForcibly();
    }
  }

  static String jar() {
    Path jar = Path.of(System.getProperty("k8swasm.jar", "target/k8s-wasm.jar"));
    assertThat(jar).as("the shaded jar (mvn package)").isRegularFile();
    return jar.toString();
  }
}
