package dev.k8swasm.reliability;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.admission.rules.RuleWithOperations;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request body that parses to nothing ({@code null}, empty) is rejected with a clear {@code
 * IllegalArgumentException}, never returned as a null review that fails later with a {@code
 * NullPointerException} (found by the fuzz tests: an API server or webhook handler would have
 * answered 500).
 */
class HostileDocumentsTest {

  @ParameterizedTest
  @ValueSource(strings = {"null", " null ", ""})
  void documentsOfNothingAreRejected(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    for (Class<?> type :
        new Class<?>[] {TokenReview.class, SubjectAccessReview.class, AdmissionReview.class}) {
      assertThatThrownBy(() -> Json.read(bytes, type))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("not a valid " + type.getSimpleName() + ": ");
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void nullTreesAreNotConverted(boolean missing) {
    var node =
        missing ? JsonNodeFactory.instance.missingNode() : JsonNodeFactory.instance.nullNode();

    assertThatThrownBy(() -> Json.convert(node, RuleWithOperations.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a valid RuleWithOperations: ");
  }
}
