package dev.k8swasm.cli;

import static dev.k8swasm.server.Fixture.module;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import dev.k8swasm.server.Fixture;
import dev.k8swasm.server.WebhookServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    List<String> args = new ArrayList<>(List.of("--config", config.toString()));
    args.addAll(List.of(extra));
    try (ServeProcess serve = ServeProcess.start(dir, args, Map.of())) {
      HttpResponse<String> r =
          serve.post(WebhookServer.MUTATE, Fixture.request("kubewarden/pod-create.json"));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode response = Json.readTree(r.body().getBytes(StandardCharsets.UTF_8)).path("response");
      assertThat(response.path("allowed").asBoolean()).as(r.body()).isTrue();
      return response.path("warnings").toString();
    }
  }
}
