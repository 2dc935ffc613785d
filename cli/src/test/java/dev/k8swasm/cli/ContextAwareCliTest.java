package dev.k8swasm.cli;

import static dev.k8swasm.cli.Cli.module;
import static dev.k8swasm.cli.Cli.run;
import static dev.k8swasm.cli.KubewardenCliTest.kwctl;
import static dev.k8swasm.cli.KubewardenCliTest.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.k8swasm.cluster.MockApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must hold: the context-aware test policy (examples/modules/kubewarden/unique_ingress.wasm, an
 * Ingress whose host another Ingress uses is rejected) answers right through {@code run
 * --allow-context-aware} with a kubeconfig pointing at fabric8's mock API server in CRUD mode (the
 * stand-in for kube-apiserver), and the same in replay of the session recorded against it, with no
 * server at all.
 */
class ContextAwareCliTest {
  static final String POLICY = module("kubewarden/unique_ingress.wasm");

  /** The cases: request file, expected answer (kwctl's one-line AdmissionResponse). */
  static final List<String[]> CASES =
      List.of(
          // kwctl's own request: foo.bar.com is used by default/test
          new String[] {
            "kwctl/ingress.json",
            "{\"uid\":\"1299d386-525b-4032-98ae-1949f69f9cfc\",\"allowed\":false,\"status\":"
                + "{\"message\":\"host foo.bar.com is already used by Ingress default/test\"}}"
          },
          // shop/web with shop.example.com: only itself uses the host
          new String[] {
            "ingress-create.json",
            "{\"uid\":\"3b1c6f0e-2d4a-4e8b-9f1c-7a5d3e2b1c0f\",\"allowed\":true}"
          });

  static String[] args(String request, String... more) {
    List<String> a = new ArrayList<>(List.of("run", POLICY, "-r", request(request)));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  @Test
  void runAgainstTheMockApiServerThenReplayWithoutIt(@TempDir Path dir) throws Exception {
    List<String> live = new ArrayList<>();
    List<Path> sessions = new ArrayList<>();
    try (MockApiServer api = new MockApiServer();
        KubernetesClient admin = api.adminClient()) {
      MockApiServer.createIngress(admin, "default", "test", "foo.bar.com");
      MockApiServer.createIngress(admin, "shop", "web", "shop.example.com");
      MockApiServer.createIngress(admin, "blog", "web", "blog.example.com");
      Path kubeconfig = api.writeKubeconfig(dir.resolve("kubeconfig"), "mock");
      for (int i = 0; i < CASES.size(); i++) {
        Path session = dir.resolve("session-" + i + ".yml");
        sessions.add(session);
        String answer =
            kwctl(
                run(
                    args(
                        CASES.get(i)[0],
                        "--allow-context-aware",
                        "--kubeconfig",
                        kubeconfig.toString(),
                        "--record-host-capabilities-interactions",
                        session.toString())));
        assertThat(answer).as(CASES.get(i)[0]).isEqualTo(CASES.get(i)[1]);
        live.add(answer);
        assertThat(Files.readString(session))
            .contains("!KubernetesListResourceAll")
            .contains("api_version: networking.k8s.io/v1")
            .contains("kind: Ingress")
            .contains("blog.example.com");
      }
    }
    // no API server any more: the recorded sessions answer, the same way
    for (int i = 0; i < CASES.size(); i++) {
      String replayed =
          kwctl(
              run(
                  args(
                      CASES.get(i)[0],
                      "--allow-context-aware",
                      "--replay-host-capabilities-interactions",
                      sessions.get(i).toString())));
      assertThat(replayed).as(CASES.get(i)[0]).isEqualTo(live.get(i));
    }
  }
}
