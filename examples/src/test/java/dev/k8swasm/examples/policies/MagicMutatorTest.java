package dev.k8swasm.examples.policies;

import static dev.k8swasm.testing.WasmAssertions.assertThat;

import dev.k8swasm.testing.AdmissionReviews;
import dev.k8swasm.testing.Policy;
import dev.k8swasm.testing.WasmPolicy;
import org.junit.jupiter.api.Test;

/** The magic mutator: what it changes, as the resulting object and as JSONPatch operations. */
@WasmPolicy(value = "modules/magic_mutator.wasm", mutating = true)
class MagicMutatorTest {

  @Test
  void addsTheMagicValue(Policy mutator) {
    var review =
        AdmissionReviews.create(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: shop-settings, namespace: shop}
            data: {colour: blue}
            """);
    assertThat(mutator.admit(review))
        .isAllowed()
        .mutates()
        .withPatchOperations("{op: add, path: /data/magic-value, value: foobar}")
        .to(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: shop-settings, namespace: shop}
            data: {colour: blue, magic-value: foobar}
            """);
  }

  @Test
  void createsDataWhenThereIsNone(Policy mutator) {
    var review = AdmissionReviews.create("{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}");
    assertThat(mutator.admit(review))
        .mutates()
        .withPatchOperations("{op: add, path: /data, value: {magic-value: foobar}}");
  }

  @Test
  void overwritesAnExistingValue(Policy mutator) {
    var review =
        AdmissionReviews.update(
            "{apiVersion: v1, kind: ConfigMap, data: {magic-value: old}}",
            "{apiVersion: v1, kind: ConfigMap, data: {magic-value: old}}");
    assertThat(mutator.admit(review))
        .mutates()
        .setting("/data/magic-value", "foobar")
        .withPatchOperations("{op: replace, path: /data/magic-value, value: foobar}");
  }

  @Test
  void leavesTheValueAloneWhenItIsAlreadyRight(Policy mutator) {
    var review =
        AdmissionReviews.create("{apiVersion: v1, kind: ConfigMap, data: {magic-value: foobar}}");
    assertThat(mutator.admit(review)).isAllowed().doesNotMutate();
  }

  @Test
  void allowsDeletesUnchanged(Policy mutator) {
    var review = AdmissionReviews.delete("{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}");
    assertThat(mutator.admit(review)).isAllowed().doesNotMutate();
  }
}
