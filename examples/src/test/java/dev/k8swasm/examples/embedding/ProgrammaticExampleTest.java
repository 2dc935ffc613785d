package dev.k8swasm.examples.embedding;

import static dev.k8swasm.testing.WasmAssertions.assertThat;

import dev.k8swasm.admission.AdmissionChain;
import dev.k8swasm.authn.AuthenticatorChain;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.observe.Evaluation;
import dev.k8swasm.testing.AdmissionReviews;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** The chains built in code behave as the configured ones. */
class ProgrammaticExampleTest {
  private static final Path MODULES = Path.of("modules");

  @Test
  void authentication() {
    List<Evaluation> seen = new CopyOnWriteArrayList<>();
    try (AuthenticatorChain chain = ProgrammaticExample.authentication(MODULES, seen::add)) {
      assertThat(
              chain.authenticate(
                  TokenReview.forToken("magic-token", List.of("https://my-api.example.com"))))
          .isAuthenticatedAs("magic-user")
          .withAudiences("https://my-api.example.com");
      assertThat(chain.authenticate(TokenReview.forToken("other", List.of()))).isNotAuthenticated();
    }
    Assertions.assertThat(seen)
        .extracting(Evaluation::module, Evaluation::decisionLabel)
        .containsExactly(
            Assertions.tuple("magic-authenticator", "authenticated"),
            Assertions.tuple("magic-authenticator", "unauthenticated"));
  }

  @Test
  void admission() {
    try (AdmissionChain chain = ProgrammaticExample.admission(MODULES)) {
      assertThat(chain.admit(AdmissionReviews.create("{apiVersion: v1, kind: ConfigMap}").build()))
          .isAllowed()
          .mutates()
          .setting("/data/magic-value", "foobar");
      assertThat(
              chain.admit(
                  AdmissionReviews.create(
                          "{apiVersion: v1, kind: ConfigMap, data: {not-allowed-value: x}}")
                      .build()))
          .isDenied()
          .withCode(403)
          .withMessageContaining("module \"magic-validator\" denied the request");
    }
  }
}
