package dev.k8swasm.examples.policies;

import static dev.k8swasm.testing.WasmAssertions.assertThat;

import dev.k8swasm.module.FailureReason;
import dev.k8swasm.testing.AdmissionReviews;
import dev.k8swasm.testing.Fixtures;
import dev.k8swasm.testing.Policy;
import dev.k8swasm.testing.WasmPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The magic validator, case by case: what a policy author would check before shipping it. The
 * module is loaded once for the class; every test gets it as a parameter.
 */
@WasmPolicy("modules/magic_validator.wasm")
class MagicValidatorCasesTest {

  private static final String CONFIG_MAP =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: shop-settings
        namespace: shop
      data:
        colour: blue
      """;

  private static final String FORBIDDEN =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: shop-settings
        namespace: shop
      data:
        not-allowed-value: "anything"
      """;

  @Test
  void deniesTheForbiddenKeyWithTheExactMessageAndCode(Policy validator) {
    assertThat(validator.admit(AdmissionReviews.create(FORBIDDEN)))
        .isDenied()
        .withMessage("value 'not-allowed-value' not allowed in configmap")
        .withCode(403)
        .hasNoWarnings();
  }

  @ParameterizedTest
  @ValueSource(strings = {"CREATE", "UPDATE"})
  void checksCreatesAndUpdates(String operation, Policy validator) {
    var review = AdmissionReviews.of(operation).object(FORBIDDEN).oldObject(CONFIG_MAP);
    assertThat(validator.admit(review)).isDenied();
  }

  @Test
  void allowsAnythingElse(Policy validator) {
    assertThat(validator.admit(AdmissionReviews.create(CONFIG_MAP)))
        .isAllowed()
        .doesNotMutate()
        .hasNoWarnings()
        .hasNoAuditAnnotations();
    assertThat(validator.admit(AdmissionReviews.create("{apiVersion: v1, kind: ConfigMap}")))
        .isAllowed();
  }

  @Test
  void onlyTheKeyCountsNotTheValue(Policy validator) {
    var valueOnly =
        AdmissionReviews.create(
            "{apiVersion: v1, kind: ConfigMap, data: {colour: not-allowed-value}}");
    assertThat(validator.admit(valueOnly)).isAllowed();
  }

  @Test
  void allowsDeletesWhichCarryNoObject(Policy validator) {
    assertThat(validator.admit(AdmissionReviews.delete(FORBIDDEN))).isAllowed();
  }

  @Test
  void dryRunsAreJudgedTheSame(Policy validator) {
    assertThat(validator.admit(AdmissionReviews.create(FORBIDDEN).dryRun(true))).isDenied();
  }

  @Test
  void requestsRecordedFromAClusterWorkToo(Policy validator) {
    assertThat(
            validator.admit(
                Fixtures.admissionReview("requests/admission-configmap-not-allowed.json")))
        .isDenied()
        .withCode(403);
    assertThat(
            validator.admit(Fixtures.admissionReview("requests/admission-configmap-create.json")))
        .isAllowed();
  }

  @Test
  void refusesSomethingThatIsNotAConfigMap(Policy validator) {
    var notAConfigMap = AdmissionReviews.create("{apiVersion: v1, kind: Secret, data: [1, 2]}");
    assertThat(validator.admit(notAConfigMap))
        .failsWith(FailureReason.MODULE_ERROR)
        .failsWithMessageContaining("request.object.data is not a JSON object");
  }
}
