package dev.k8swasm.kubewarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.json.Json;
import dev.k8swasm.kubewarden.metadata.ExecutionMode;
import dev.k8swasm.kubewarden.session.Exchange;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.ModuleException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Compares our answers with the Node.js reference host (examples/modules/kubewarden/check.mjs,
 * {@code --json} mode) for every case of {@link Cases} on every test policy: the same answer (exact
 * JSON text), the same error text, and the same host capabilities called in the same order. Skipped
 * when {@code node} is not installed; {@link PolicyOperationsTest} checks the same answers on its
 * own.
 */
class NodeReferenceTest {
  private static final Map<String, String> PATHS =
      Map.of(
          "DNSLookupHost", "kubewarden/net/v1/dns_lookup_host",
          "KubernetesCanI", "kubewarden/kubernetes/can_i",
          "KubernetesGetResource", "kubewarden/kubernetes/get_resource");

  static boolean nodeAvailable() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static JsonNode runNode(JsonNode input) throws Exception {
    Path script = TestPolicies.POLICIES.resolve("check.mjs");
    Process p =
        new ProcessBuilder("node", script.toString(), "--json")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try (var in = p.getOutputStream()) {
      in.write(Json.write(input));
    }
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("node finished").isTrue();
    assertThat(p.exitValue()).as("node exit code").isZero();
    return Json.reader().readTree(out);
  }

  @Test
  void sameAnswersAsTheNodeReference() throws Exception {
    assumeTrue(nodeAvailable(), "node is not installed: skipping the comparison with check.mjs");
    List<Path> modules =
        List.of(
            TestPolicies.WAPC_START,
            TestPolicies.WAPC_INIT,
            TestPolicies.WAPC_NOMETA,
            TestPolicies.WASI);
    List<Cases.Case> cases = Cases.all();
    ObjectNode input = JsonNodeFactory.instance.objectNode();
    input.put("hostErrorPrefix", TestHost.FAILURE);
    ArrayNode list = input.putArray("cases");
    for (Path module : modules) {
      for (Cases.Case c : cases) {
        list.addObject()
            .put("module", module.getFileName().toString())
            .put("operation", c.operation())
            .put("payload", c.payload());
      }
    }
    JsonNode reference = runNode(input);
    assertThat(reference.size()).isEqualTo(modules.size() * cases.size());
    int i = 0;
    int compared = 0;
    for (Path module : modules) {
      PolicyOperationsTest.Loaded l =
          PolicyOperationsTest.load(module, InstanceStrategy.SNAPSHOT, Engine.COMPILER);
      try (KubewardenPolicy policy = l.policy()) {
        for (Cases.Case c : cases) {
          JsonNode expected = reference.get(i++);
          String context = module.getFileName() + " " + c + ": node said " + expected;
          int before = l.recorder().exchanges().size();
          byte[] payload = c.payload().getBytes(StandardCharsets.UTF_8);
          if (expected.has("response")) {
            byte[] ours = policy.call(c.operation(), payload);
            assertThat(new String(ours, StandardCharsets.UTF_8))
                .as(context)
                .isEqualTo(Json.writeString(expected.get("response")));
          } else {
            try {
              policy.call(c.operation(), payload);
              fail(context + ": we answered, node failed");
            } catch (ModuleException e) {
              String error = expected.get("error").asText();
              String detail = e.detail();
              if (policy.executionMode() == ExecutionMode.WASI) {
                assertThat(detail).as(context).contains("stderr set to '" + error + "\n'");
              } else {
                assertThat(detail).as(context).isEqualTo("Guest call failure: " + error);
              }
            }
          }
          List<Exchange> exchanges = l.recorder().exchanges();
          List<String> ours = new ArrayList<>();
          for (Exchange x : exchanges.subList(before, exchanges.size())) {
            ours.add(PATHS.get(x.request().type()));
          }
          List<String> theirs = new ArrayList<>();
          expected.get("calls").forEach(call -> theirs.add(call.get(0).asText()));
          assertThat(ours).as(context).isEqualTo(theirs);
          compared++;
        }
      }
    }
    assertThat(compared).isEqualTo(modules.size() * cases.size());
  }
}
