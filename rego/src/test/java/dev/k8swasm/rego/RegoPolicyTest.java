package dev.k8swasm.rego;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import org.junit.jupiter.api.Test;

class RegoPolicyTest {

  private static JsonNode json(String text) {
    return Json.readTree(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void smoke() {
    for (String m :
        new String[] {
          "kubewarden/gatekeeper_always_happy_policy.wasm",
          "kubewarden/gatekeeper_always_unhappy_policy.wasm",
          "kubewarden/no-default-namespace-rego.wasm",
          "opa/rbac.wasm",
          "opa/policy_with_builtins.wasm"
        }) {
      try (RegoPolicy p =
          RegoPolicy.builder(Corpus.spec(m)).data(json("{\"company_name\":\"ACME\"}")).build()) {
        System.out.println(p + " " + p.strategy() + " " + p.requiredBuiltins());
        System.out.println(
            p.evaluate(
                p.entrypoints().keySet().iterator().next(),
                json(
                    "{\"user\":\"alice\",\"request\":{\"uid\":\"u1\",\"object\":{\"metadata\":{\"namespace\":\"default\"}}}}")));
      }
    }
  }
}
