package dev.k8swasm.examples.policies;

import static dev.k8swasm.testing.WasmAssertions.assertThat;

import dev.k8swasm.testing.*;
import org.junit.jupiter.api.Test;

@WasmPolicy("modules/magic_validator.wasm")
class MagicValidatorTest {
  String configMap = "{apiVersion: v1, kind: ConfigMap, data: {%s: x}}";

  @Test
  void deniesTheForbiddenKeyAndNothingElse(Policy validator) {
    var bad = AdmissionReviews.create(configMap.formatted("not-allowed-value"));
    assertThat(validator.admit(bad)).isDenied().withMessageContaining("not allowed").withCode(403);
    var good = AdmissionReviews.create(configMap.formatted("colour"));
    assertThat(validator.admit(good)).isAllowed();
  }
}
