package dev.k8swasm.rego;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k8swasm.authz.AuthorizationDecision.Decision;
import dev.k8swasm.authz.AuthorizerChain;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.config.Chains;
import dev.k8swasm.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Rego authorizer configured in a file, as serve and the CLI load it. */
class RegoConfigTest {

  @Test
  void aConfiguredRegoAuthorizerDecides(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("authz.yaml");
    Files.writeString(
        config,
        "modules:\n"
            + "  - name: rego-allow\n"
            + "    type: rego\n"
            + "    module: "
            + Corpus.module("hostile/opa_abi_test.wasm")
            + "\n"
            + "    entrypoint: allow\n"
            + "    timeout: 1s\n");
    SubjectAccessReview review =
        Json.convert(
            Json.readTree(
                ("{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\","
                        + "\"spec\":{\"user\":\"bob\",\"resourceAttributes\":{\"verb\":\"get\"}}}")
                    .getBytes()),
            SubjectAccessReview.class);
    try (AuthorizerChain chain = Chains.authorizer(config)) {
      var decision = chain.authorize(review);
      assertThat(decision.decision()).isEqualTo(Decision.ALLOW);
      assertThat(decision.decidedBy()).isEqualTo("rego-allow");
    }
  }
}
