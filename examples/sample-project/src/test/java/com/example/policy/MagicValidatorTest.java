package com.example.policy;

import static dev.k8swasm.testing.WasmAssertions.assertThat;

import dev.k8swasm.testing.AdmissionReviews;
import dev.k8swasm.testing.Policy;
import dev.k8swasm.testing.WasmPolicy;
import org.junit.jupiter.api.Test;

/**
 * The magic validator rejects ConfigMaps that have the key {@code not-allowed-value}.
 *
 * <p>{@code modules/magic_validator.wasm} is a class path resource: the file is
 * {@code src/test/resources/modules/magic_validator.wasm}. It is loaded once for this class.
 */
@WasmPolicy("modules/magic_validator.wasm")
class MagicValidatorTest {
  private static final String CONFIG_MAP = "{apiVersion: v1, kind: ConfigMap, data: {%s: x}}";

  @Test
  void deniesTheForbiddenKey(Policy validator) {
    var review = AdmissionReviews.create(CONFIG_MAP.formatted("not-allowed-value"));

    assertThat(validator.admit(review))
        .isDenied()
        .withMessageContaining("not allowed")
        .withCode(403);
  }

  @Test
  void allowsOtherKeys(Policy validator) {
    var review = AdmissionReviews.create(CONFIG_MAP.formatted("colour"));

    assertThat(validator.admit(review)).isAllowed();
  }
}
