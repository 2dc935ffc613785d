package dev.k8swasm.cli;

import static dev.k8swasm.server.Fixture.module;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --can-i authorization} as a real process: a Kubewarden policy's {@code
 * kubernetes/can_i} is answered by the server's own authorization modules (the server is its own
 * authorizer, as in a custom API server without a cluster); without the flag there is no answerer.
 */
class ServeCanIIT {

  @Test
  void policiesCanIIsAnsweredByTheServersOwnAuthorizationModules(@TempDir Path dir)
      throws Exception {
    Path config =
        Fixture.write(
            dir.resolve("server.yaml"),
            "authorization:\n  modules:\n"
                + Fixture.moduleEntry("magic", module("magic_authorizer.wasm"))
                + "admission:\n  modules:\n"
                + Fixture.moduleEntry(
                    "can-i",
                    module("kubewarden/policy_wapc_start.wasm"),
                    "type: kubewarden",
                    "rules: [{operations: ['*'], apiGroups: ['*'], apiVersions: ['*'],"
                        + " resources: ['*']}]",
                    "allowedHostCapabilities: ['kubernetes/can_i']",
                    "settings: {canI: {user: alice, verb: get, resource: configmaps}}"));

    assertThat(warnings(dir, config, "--can-i", "authorization")).contains("can-i:denied");
    assertThat(warnings(dir, config)).startsWith("[\"can-i-error:");
  }

  /** Starts serve with {@code extra} flags, sends one Pod CREATE, returns the answer's warnings. */
  static String warnings(Path dir, Path config, String... extra) throws Exception {
    Path ca = dir.resolve("ca-" + extra.length + ".pem");
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                ServeIT.jar(),
                "serve",
                "--config",
                config.toString(),
                "--address",
                "127.0.0.1",
                "--port",
                "0",
                "--ca-out",
                ca.toString()));
    command.addAll(List.of(extra));
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
                  Matcher m = ServeIT.LISTENING.matcher(line);
                  if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                  }
                }
                port.completeExceptionally(new IllegalStateException("serve ended: " + stderr));
              } catch (Exception e) {
                port.completeExceptionally(e);
              }
            });
    reader.start();
    try {
      int bound = port.get(120, TimeUnit.SECONDS);
      Fixture.await(
          () -> stderr.stream().anyMatch(l -> l.contains("The CA was written")), "the CA");
      HttpClient client = Fixture.client(Pem.certificates(ca), null, null);
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(
                      URI.create("https://localhost:" + bound + WebhookServer.MUTATE))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          Fixture.request("kubewarden/pod-create.json")))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode response = Json.readTree(r.body().getBytes(StandardCharsets.UTF_8)).path("response");
      assertThat(response.path("allowed").asBoolean()).as(r.body()).isTrue();
      return response.path("warnings").toString();
    } finally {
      p.destroy();
      p.waitFor(30, TimeUnit.SECONDS);
      reader.join(5000);
    }
  }
}
