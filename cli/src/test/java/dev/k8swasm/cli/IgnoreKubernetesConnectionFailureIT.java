package dev.k8swasm.cli;

import static dev.k8swasm.server.Fixture.module;
import static org.assertj.core.api.Assertions.assertThat;

import dev.k8swasm.server.Fixture;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * policy-server's {@code --ignore-kubernetes-connection-failure}: with a cluster that cannot be
 * reached, {@code serve} is not ready by default, and ready with the flag (the policies that need
 * no cluster answer either way).
 */
class IgnoreKubernetesConnectionFailureIT {
  @TempDir Path dir;

  @Test
  void readinessFollowsTheApiServerUnlessTold() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Path kubeconfig =
        Files.writeString(
            dir.resolve("kubeconfig"),
            "apiVersion: v1\nkind: Config\ncurrent-context: gone\nclusters:\n- name: gone\n"
                + "  cluster: {server: \"http://127.0.0.1:"
                + closed
                + "\"}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: gone\n"
                + "  context: {cluster: gone, user: u}\n");
    Path policies =
        Fixture.write(
            dir.resolve("policies.yml"),
            "no-forbidden:\n  module: "
                + module("kubewarden/policy_wapc_init.wasm")
                + "\n  settings:\n    forbiddenLabels: [forbidden]\n");
    List<String> args =
        List.of(
            "--policies",
            policies.toString(),
            "--kubeconfig",
            kubeconfig.toString(),
            "--metrics-port",
            "0");

    try (ServeProcess serve = ServeProcess.start(dir, args, Map.of())) {
      HttpResponse<String> r = serve.awaitReadiness(b -> b.contains("not ready:"));
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).contains("not ready:");
    }

    List<String> ignoring = new ArrayList<>(args);
    ignoring.add("--ignore-kubernetes-connection-failure");
    try (ServeProcess serve = ServeProcess.start(dir, ignoring, Map.of())) {
      serve.awaitReady();
      HttpResponse<String> r =
          serve.post(
              "/validate/no-forbidden", Fixture.request("kubewarden/pod-create-forbidden.json"));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("label forbidden is forbidden");
    }
  }
}
