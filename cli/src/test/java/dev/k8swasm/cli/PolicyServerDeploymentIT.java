package dev.k8swasm.cli;

import static dev.k8swasm.server.Fixture.module;
import static dev.k8swasm.server.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import dev.k8swasm.server.Fixture;
import dev.k8swasm.server.SelfSignedFiles;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image as Kubewarden's controller runs it for a PolicyServer: the Dockerfile's ENTRYPOINT and
 * CMD with no arguments of its own, configured only by the environment variables the controller
 * writes into the Deployment (paths mapped into a temporary directory), serving policy-server's
 * endpoints over HTTPS and its readiness probe over plain HTTP.
 */
class PolicyServerDeploymentIT {
  @TempDir Path dir;

  @Test
  void theControllersEnvironmentAloneServesThePolicies() throws Exception {
    Path pki = Files.createDirectories(dir.resolve("pki"));
    SelfSignedFiles.generate(Set.of("localhost", "127.0.0.1"), pki);
    Path config = Files.createDirectories(dir.resolve("config"));
    // as the controller writes it, plus a namespaced policy whose module cannot be read
    Fixture.write(
        config.resolve("policies.yml"),
        Fixture.controllerWrittenPolicies(module("kubewarden/policy_wapc_init.wasm"))
            .replaceFirst(
                "\\{",
                "{\"namespaced-team-b-not-pulled\":{\"namespacedName\":{\"Namespace\":\"team-b\","
                    + "\"Name\":\"not-pulled\"},\"module\":\""
                    + dir.resolve("missing.wasm").toString().replace("\\", "/")
                    + "\",\"policyMode\":\"protect\",\"allowedToMutate\":false,"
                    + "\"hostCapabilities\":[\"*\"]},"));
    Path store = Files.createDirectories(dir.resolve("tmp"));
    Map<String, String> env = new LinkedHashMap<>();
    // what the controller's getPolicyServerContainer sets, in this order
    env.put("KUBEWARDEN_CERT_FILE", pki.resolve(SelfSignedFiles.CERT).toString());
    env.put("KUBEWARDEN_KEY_FILE", pki.resolve(SelfSignedFiles.KEY).toString());
    env.put("KUBEWARDEN_PORT", "0");
    env.put("KUBEWARDEN_READINESS_PROBE_PORT", "0");
    env.put("KUBEWARDEN_POLICIES_DOWNLOAD_DIR", store.toString());
    env.put("KUBEWARDEN_POLICIES", config.resolve("policies.yml").toString());
    env.put("KUBEWARDEN_SIGSTORE_CACHE_DIR", store.resolve("sigstore-data").toString());
    // with alwaysAcceptAdmissionReviewsInDeploymentsNamespace (the Helm chart's default)
    env.put("KUBEWARDEN_ALWAYS_ACCEPT_ADMISSION_REVIEWS_ON_NAMESPACE", "kubewarden");
    // a pod binds all addresses; the test stays on loopback
    env.put("KUBEWARDEN_BIND_ADDRESS", "127.0.0.1");
    env.put("XDG_CACHE_HOME", store.resolve(".cache").toString());
    // policy-server's hidden --continue-on-errors, set on the PolicyServer's env by its user
    env.put("KUBEWARDEN_CONTINUE_ON_ERRORS", "true");

    try (ServeProcess p =
        ServeProcess.launch(imageCommand(), env, pki.resolve(SelfSignedFiles.CA))) {
      assertThat(p.metricsPort()).as(String.join("\n", p.stderr())).isPositive();
      // the readiness probe of the controller's Deployment: plain HTTP, 200 once loaded
      p.awaitReady();

      String forbidden = request("kubewarden/pod-create-forbidden.json");
      JsonNode denied = json(p.post("/validate/clusterwide-no-forbidden", forbidden));
      assertThat(denied.path("response").path("allowed").asBoolean()).isFalse();
      assertThat(denied.path("response").path("status").path("message").asText())
          .isEqualTo("label forbidden is forbidden");

      String inKubewarden =
          forbidden.replace("\"namespace\": \"default\"", "\"namespace\": \"kubewarden\"");
      JsonNode accepted = json(p.post("/validate/clusterwide-no-forbidden", inKubewarden));
      assertThat(accepted.path("response").path("allowed").asBoolean()).isTrue();

      JsonNode failed =
          json(p.post("/validate/namespaced-team-b-not-pulled", forbidden)).path("response");
      assertThat(failed.path("allowed").asBoolean()).isFalse();
      assertThat(failed.path("status").path("code").asInt()).isEqualTo(500);
      assertThat(failed.path("status").path("message").asText()).contains("missing.wasm");

      JsonNode group = json(p.post("/validate/clusterwide-forbidden-group", forbidden));
      assertThat(group.path("response").path("allowed").asBoolean()).isFalse();
      JsonNode monitored = json(p.post("/validate/namespaced-team-a-watch", forbidden));
      assertThat(monitored.path("response").path("allowed").asBoolean()).isTrue();
    }
  }

  @Test
  void withoutPoliciesOrWithAMalformedVariableServeSaysWhatIsWrong() throws Exception {
    Process p =
        new ProcessBuilder(imageCommand())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("out.log").toFile())
            .start();
    p.getOutputStream().close();
    assertThat(p.waitFor()).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("out.log")))
        .contains("Give the configuration: -c FILE, or --policies FILE")
        .contains("KUBEWARDEN_POLICIES");

    ProcessBuilder bad = new ProcessBuilder(imageCommand()).redirectErrorStream(true);
    bad.environment().put("KUBEWARDEN_POLICIES", "policies.yml");
    bad.environment().put("KUBEWARDEN_PORT", "https");
    bad.redirectOutput(dir.resolve("bad.log").toFile());
    Process q = bad.start();
    q.getOutputStream().close();
    assertThat(q.waitFor()).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("bad.log")))
        .contains(
            "Invalid value of KUBEWARDEN_PORT (for --port): 'https'; expected a whole number");
  }

  /** The image's ENTRYPOINT and CMD, with the jar of this build and no CDS archive. */
  static List<String> imageCommand() throws Exception {
    String docker =
        Files.readString(ReadmeCommandsIT.root().resolve("deploy/Dockerfile")).replace("\\\n", " ");
    List<String> command = new ArrayList<>();
    for (String instruction : List.of("ENTRYPOINT", "CMD")) {
      Matcher m = Pattern.compile("(?m)^" + instruction + " (\\[.*])$").matcher(docker);
      assertThat(m.find()).as(instruction).isTrue();
      for (JsonNode arg : Json.reader().readTree(m.group(1))) {
        String a = arg.asText();
        if (a.startsWith("-XX:SharedArchiveFile=") || a.equals("-XX:+VerifySharedSpaces")) {
          continue; // the archive is built by docker build only
        }
        command.add(
            a.equals("java")
                ? Path.of(System.getProperty("java.home"), "bin", "java").toString()
                : a.equals("/opt/k8s-wasm/k8s-wasm.jar") ? ServeIT.jar() : a);
      }
    }
    return command;
  }

  private static JsonNode json(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Fixture.json(r);
  }
}
