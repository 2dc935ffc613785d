package dev.k8swasm.examples.policies;

import static dev.k8swasm.testing.WasmAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.k8swasm.testing.AdmissionReviews;
import dev.k8swasm.testing.PolicyChain;
import dev.k8swasm.testing.WasmConfig;
import org.junit.jupiter.api.Test;

/**
 * The whole admission configuration of {@code config/admission.yaml}, as production runs it: the
 * mutator first, then the validator on the mutated object; rules decide who is asked.
 */
@WasmConfig("config/admission.yaml")
class AdmissionConfigTest {

  @Test
  void mutatesThenValidates(PolicyChain admission) {
    var review = AdmissionReviews.create("{apiVersion: v1, kind: ConfigMap, data: {colour: blue}}");
    assertThat(admission.admit(review))
        .isAllowed()
        .mutates()
        .to("{apiVersion: v1, kind: ConfigMap, data: {colour: blue, magic-value: foobar}}");
  }

  @Test
  void theValidatorsDenialNamesTheModule(PolicyChain admission) {
    var review =
        AdmissionReviews.create("{apiVersion: v1, kind: ConfigMap, data: {not-allowed-value: x}}");
    assertThat(admission.admit(review))
        .isDenied()
        .withMessage(
            "module \"magic-validator\" denied the request: value 'not-allowed-value' not allowed"
                + " in configmap")
        .withCode(403);
  }

  @Test
  void otherResourcesAreNotTouched(PolicyChain admission) {
    var review =
        AdmissionReviews.create("{apiVersion: v1, kind: Secret, data: {not-allowed-value: x}}");
    var outcome = admission.admit(review);
    assertThat(outcome).isAllowed().doesNotMutate();
    assertTrue(outcome.calls().isEmpty(), "no module was asked");
  }
}
