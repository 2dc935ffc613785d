package dev.k8swasm.rego;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.k8swasm.admission.AdmissionRequest;
import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.json.Json;
import dev.k8swasm.kubewarden.KubewardenPolicy;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.ModuleType;
import dev.k8swasm.rego.builtins.Builtins;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every corpus case gives the same answer here and on the official OPA JS SDK
 * (@open-policy-agent/opa-wasm in Node.js, examples/modules/rego/node/reference.mjs): the same
 * result set (or both fail, with the same abort message), and for Kubewarden cases the same allowed
 * and message. Skipped when node or the SDK (npm ci in examples/modules/rego/node) is missing.
 */
class NodeReferenceTest {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final Builtins BUILTINS =
      Builtins.standard(Clock.systemUTC())
          .with("custom.func", args -> TextNode.valueOf("hello " + args[0].textValue()));

  record Case(
      String name, String module, String entrypoint, JsonNode data, JsonNode input, String mode) {}

  static JsonNode json(String text) {
    return Json.readTree(text.getBytes(StandardCharsets.UTF_8));
  }

  static JsonNode review(String name) {
    try {
      return Json.readTree(Files.readAllBytes(Corpus.module("requests/" + name)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    JsonNode settings = json("{\"allowedNamespaces\":[\"team-a\"],\"max\":3}");
    for (String request : List.of("pod-default-namespace.json", "pod-team-namespace.json")) {
      JsonNode admission = review(request).get("request");
      for (String gk :
          List.of(
              "kubewarden/gatekeeper_always_happy_policy.wasm",
              "kubewarden/gatekeeper_always_unhappy_policy.wasm")) {
        ObjectNode input = NODES.objectNode();
        input.set("parameters", settings);
        input.set("review", admission);
        cases.add(
            new Case(
                gk + " " + request,
                gk,
                "policy/violation",
                NODES.objectNode(),
                input,
                "gatekeeper"));
      }
      ObjectNode input = NODES.objectNode();
      input.set("request", admission);
      cases.add(
          new Case(
              "opa " + request,
              "kubewarden/no-default-namespace-rego.wasm",
              "policy/main",
              settings,
              input,
              "opa"));
    }
    JsonNode rbacData =
        json(
            "{\"user_roles\":{\"alice\":[\"admin\"],\"bob\":[\"employee\",\"billing\"],"
                + "\"eve\":[\"customer\"]},\"role_grants\":{\"customer\":[{\"action\":\"read\","
                + "\"type\":\"dog\"},{\"action\":\"adopt\",\"type\":\"dog\"}],\"employee\":[{"
                + "\"action\":\"read\",\"type\":\"dog\"},{\"action\":\"update\",\"type\":\"dog\"}],"
                + "\"billing\":[{\"action\":\"read\",\"type\":\"finance\"}]}}");
    for (String user : List.of("alice", "bob", "eve", "mallory")) {
      for (String action : List.of("read", "update", "adopt")) {
        JsonNode input =
            json("{\"user\":\"" + user + "\",\"action\":\"" + action + "\",\"type\":\"dog\"}");
        for (String entrypoint : List.of("app/rbac", "app/rbac/allow")) {
          cases.add(
              new Case(
                  "rbac " + entrypoint + " " + input,
                  "opa/rbac.wasm",
                  entrypoint,
                  rbacData,
                  input,
                  null));
        }
      }
    }
    for (String user : List.of("alice", "bob", "Zoë \"quoted\"")) {
      cases.add(
          new Case(
              "sprintf " + user,
              "opa/policy_with_builtins.wasm",
              "example",
              json("{\"company_name\":\"ACME\"}"),
              json("{\"user\":" + Json.writeString(user) + "}"),
              null));
    }
    cases.add(
        new Case(
            "custom builtin",
            "opa/simplebuiltincall.wasm",
            "builtincallpkg",
            NODES.objectNode(),
            NODES.objectNode(),
            null));
    cases.add(
        new Case(
            "abort q",
            "opa/abort.wasm",
            "aborttestpkg/q",
            NODES.objectNode(),
            NODES.objectNode(),
            null));
    cases.add(
        new Case(
            "abort pkg",
            "opa/abort.wasm",
            "aborttestpkg",
            NODES.objectNode(),
            NODES.objectNode(),
            null));
    cases.add(
        new Case(
            "test module allow",
            "hostile/opa_abi_test.wasm",
            "allow",
            NODES.objectNode(),
            NODES.objectNode(),
            null));
    cases.add(
        new Case(
            "test module authn",
            "hostile/opa_abi_test.wasm",
            "authn",
            NODES.objectNode(),
            NODES.objectNode(),
            null));
    return cases;
  }

  static boolean nodeReady(Path dir) {
    if (!Files.isDirectory(dir.resolve("node_modules/@open-policy-agent/opa-wasm"))) {
      return false;
    }
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

  static JsonNode runNode(Path dir, JsonNode input) throws Exception {
    Process p =
        new ProcessBuilder("node", "reference.mjs")
            .directory(dir.toFile())
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
  void sameAnswersAsTheOpaJsSdk() throws Exception {
    Path dir = Corpus.dir().resolve("node");
    assumeTrue(
        nodeReady(dir),
        "node or the OPA JS SDK is missing: run `npm ci` in examples/modules/rego/node to compare"
            + " with @open-policy-agent/opa-wasm");
    List<Case> cases = cases();
    ObjectNode request = NODES.objectNode();
    ArrayNode list = request.putArray("cases");
    for (Case c : cases) {
      ObjectNode o = list.addObject();
      o.put("name", c.name());
      o.put("module", Corpus.module(c.module()).toString());
      o.put("entrypoint", c.entrypoint());
      o.set("data", c.data());
      o.set("input", c.input());
      if (c.mode() != null) {
        o.put("mode", c.mode());
      }
    }
    JsonNode results = runNode(dir, request).get("results");
    assertThat(results).hasSize(cases.size());
    int compared = 0;
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      JsonNode expected = results.get(i);
      try (RegoPolicy policy =
          RegoPolicy.builder(ModuleSpec.builder("case").path(Corpus.module(c.module())).build())
              .data(c.data())
              .builtins(BUILTINS)
              .build()) {
        if (expected.has("error")) {
          ModuleException failure = null;
          try {
            policy.evaluate(c.entrypoint(), c.input());
          } catch (ModuleException e) {
            failure = e;
          }
          assertThat(failure)
              .as(c.name() + ": node failed with " + expected.get("error"))
              .isNotNull();
          assertThat(failure.getMessage()).as(c.name()).contains(expected.get("error").asText());
        } else {
          assertThat(policy.evaluate(c.entrypoint(), c.input()))
              .as(c.name())
              .isEqualTo(expected.get("resultSet"));
        }
      }
      if (c.mode() != null) {
        JsonNode settings = c.mode().equals("opa") ? c.data() : c.input().get("parameters");
        try (KubewardenPolicy policy =
            KubewardenPolicy.load(
                ModuleSpec.builder("case")
                    .type(ModuleType.KUBEWARDEN)
                    .path(Corpus.module(c.module()))
                    .settings(settings)
                    .option("executionMode", TextNode.valueOf(c.mode()))
                    .build())) {
          JsonNode admission =
              c.mode().equals("opa") ? c.input().get("request") : c.input().get("review");
          AdmissionResponse response =
              policy.validate(Json.convert(admission, AdmissionRequest.class));
          JsonNode want = expected.get("response");
          assertThat(response.allowed()).as(c.name()).isEqualTo(want.get("allowed").asBoolean());
          String message = response.status() == null ? null : response.status().message();
          assertThat(message)
              .as(c.name())
              .isEqualTo(want.has("message") ? want.get("message").asText() : null);
        }
      }
      compared++;
    }
    assertThat(compared).isEqualTo(cases.size()).isGreaterThan(30);
  }
}
