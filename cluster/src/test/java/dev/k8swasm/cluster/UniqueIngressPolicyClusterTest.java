package dev.k8swasm.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.admission.AdmissionRequest;
import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.json.Json;
import dev.k8swasm.kubewarden.KubewardenPolicy;
import dev.k8swasm.kubewarden.capabilities.HostCapabilities;
import dev.k8swasm.kubewarden.capabilities.SessionReplay;
import dev.k8swasm.kubewarden.session.SessionRecorder;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.ModuleType;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The context-aware test policy examples/modules/kubewarden/unique_ingress.wasm against the mock
 * API server through {@link ClusterContext}: the Ingresses it lists are the server's, a new Ingress
 * reaches the next evaluation through the watch, an unreachable server is an error the policy
 * reports, and a session recorded against the server replays to the same answers without any
 * server.
 */
class UniqueIngressPolicyClusterTest {
  static final Path ROOT = root();
  static final Path POLICY = ROOT.resolve("examples/modules/kubewarden/unique_ingress.wasm");
  static final Path REQUESTS = ROOT.resolve("examples/requests/kubewarden");

  private static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("examples/modules/kubewarden"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find examples/modules/kubewarden");
    }
    return dir;
  }

  static KubewardenPolicy load(HostCapabilities host) {
    return KubewardenPolicy.load(
        ModuleSpec.builder("unique-ingress")
            .path(POLICY)
            // generous: the host calls reach a loaded machine's mock server (not a timing test)
            .limits(Limits.defaults().toBuilder().timeout(Duration.ofSeconds(60)).build())
            .type(ModuleType.KUBEWARDEN)
            .option("allowedHostCapabilities", Json.readTree("[\"*\"]".getBytes()))
            .extension(HostCapabilities.class, host)
            .build());
  }

  static JsonNode requestJson(String file) {
    try {
      JsonNode doc = Json.reader().readTree(Files.readAllBytes(REQUESTS.resolve(file)));
      return doc.has("request") ? doc.get("request") : doc;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static AdmissionRequest request(String file) {
    return Json.convert(requestJson(file), AdmissionRequest.class);
  }

  /** CREATE of Ingress namespace/name with host, as kube-apiserver would send it. */
  static AdmissionRequest create(String namespace, String name, String host) {
    ObjectNode r = (ObjectNode) requestJson("ingress-create.json");
    r.put("namespace", namespace).put("name", name);
    ObjectNode object = (ObjectNode) r.get("object");
    ((ObjectNode) object.get("metadata")).put("namespace", namespace).put("name", name);
    ((ObjectNode) object.path("spec").path("rules").get(0)).put("host", host);
    return Json.convert(r, AdmissionRequest.class);
  }

  static String answer(AdmissionResponse r) {
    return r.allowed() + (r.status() == null ? "" : ": " + r.status().message());
  }

  /** Evaluates {@code request} until {@code expected} (informers react asynchronously). */
  static String eventually(Supplier<String> evaluation, String expected)
      throws InterruptedException {
    String last = null;
    for (int i = 0; i < 300; i++) {
      last = evaluation.get();
      if (last.equals(expected)) {
        return last;
      }
      Thread.sleep(100);
    }
    return last;
  }

  @Test
  void againstTheMockApiServerThenReplayedWithoutIt(@TempDir Path dir) throws Exception {
    Path session = dir.resolve("session.yml");
    List<AdmissionRequest> asked = new ArrayList<>();
    List<String> answers = new ArrayList<>();
    List<dev.k8swasm.kubewarden.session.Exchange> kept = new ArrayList<>();
    try (MockApiServer api = new MockApiServer();
        KubernetesClient admin =
            new KubernetesClientBuilder()
                .withConfig(
                    new ConfigBuilder(api.config())
                        .withMasterUrl("http://127.0.0.1:" + api.server().getPort())
                        .build())
                .build();
        KubernetesClient client = api.client();
        ClusterContext cluster =
            ClusterContext.builder(client).maxStaleness(Duration.ZERO).build()) {
      MockApiServer.createIngress(admin, "default", "test", "foo.bar.com");
      MockApiServer.createIngress(admin, "shop", "web", "shop.example.com");
      // as serve does before it is ready: start the cache of the policy's resources and let it sync
      // (a first host call that had to wait for the sync would count against the 2 s deadline)
      cluster.watch(
          List.of(
              new dev.k8swasm.kubewarden.metadata.ContextAwareResource(
                  "networking.k8s.io/v1", "Ingress")));
      for (int i = 0; i < 300 && cluster.notReady().isPresent(); i++) {
        Thread.sleep(100);
      }
      assertThat(cluster.notReady()).isEmpty();
      SessionRecorder recorder = SessionRecorder.toFile(session);
      try (KubewardenPolicy policy =
          load(HostCapabilities.builder().kubernetes(cluster).record(recorder).build())) {
        // kwctl's own request: foo.bar.com is taken by default/test
        asked.add(request("kwctl/ingress.json"));
        answers.add(answer(policy.validate(asked.get(0))));
        assertThat(answers.get(0))
            .isEqualTo("false: host foo.bar.com is already used by Ingress default/test");
        // shop/web itself is no conflict; a new host is free
        asked.add(request("ingress-create.json"));
        answers.add(answer(policy.validate(asked.get(1))));
        assertThat(answers.get(1)).isEqualTo("true");
        AdmissionRequest blog = create("blog", "web", "blog.example.com");
        asked.add(blog);
        answers.add(answer(policy.validate(blog)));
        assertThat(answers.get(2)).isEqualTo("true");
        // a new Ingress reaches the next evaluation through the watch
        MockApiServer.createIngress(admin, "blog", "other", "blog.example.com");
        String taken = "false: host blog.example.com is already used by Ingress blog/other";
        assertThat(eventually(() -> answer(policy.validate(blog)), taken)).isEqualTo(taken);
        asked.add(blog);
        answers.add(taken);
      }
      // the exchanges of the answers kept (the watch test may have polled more than once)
      kept.addAll(recorder.exchanges().subList(0, 3));
      kept.add(recorder.exchanges().get(recorder.exchanges().size() - 1));
      // the API server goes away: the policy gets the error and rejects
      api.proxy().close();
      try (KubewardenPolicy policy =
          load(
              HostCapabilities.builder()
                  .kubernetes(ClusterContext.builder(client).maxStaleness(Duration.ZERO).build())
                  .build())) {
        AdmissionResponse down = policy.validate(create("x", "y", "down.example.com"));
        assertThat(down.allowed()).isFalse();
        assertThat(down.status().message())
            .startsWith("cannot check that the hosts are unique: Callback evaluation failure:");
      }
    }
    // replayed without any server: the recorded file answers as the server did, in order
    assertThat(Files.readString(session)).contains("!KubernetesListResourceAll");
    try (KubewardenPolicy replayed =
        load(HostCapabilities.builder().replay(SessionReplay.fromFile(session)).build())) {
      for (int i = 0; i < 3; i++) {
        assertThat(answer(replayed.validate(asked.get(i)))).isEqualTo(answers.get(i));
      }
    }
    try (KubewardenPolicy replayed =
        load(HostCapabilities.builder().replay(new SessionReplay(kept, "kept")).build())) {
      for (int i = 0; i < answers.size(); i++) {
        assertThat(answer(replayed.validate(asked.get(i)))).isEqualTo(answers.get(i));
      }
    }
  }
}
