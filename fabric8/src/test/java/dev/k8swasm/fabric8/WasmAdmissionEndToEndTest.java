package dev.k8swasm.fabric8;

import static dev.k8swasm.fabric8.Trees.assertSameJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.admission.JsonPatches;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionKindBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionResourceBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfoBuilder;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An operator's webhook end to end: fabric8 AdmissionReviews through {@link
 * Fabric8AdmissionHandler} into an AdmissionChain of the magic example modules, run by the real
 * WASI runtime (found through the ServiceLoader, as in an application).
 */
class WasmAdmissionEndToEndTest {

  private static Fabric8AdmissionHandler handler;

  @BeforeAll
  static void loadModules() {
    handler = Fabric8AdmissionHandler.of(WasmModules.magicChain());
  }

  @AfterAll
  static void closeModules() {
    handler.close();
  }

  private static AdmissionReview review(String uid, String operation, ConfigMap configMap) {
    return new AdmissionReviewBuilder()
        .withNewRequest()
        .withUid(uid)
        .withKind(
            new GroupVersionKindBuilder()
                .withGroup("")
                .withVersion("v1")
                .withKind("ConfigMap")
                .build())
        .withResource(
            new GroupVersionResourceBuilder()
                .withGroup("")
                .withVersion("v1")
                .withResource("configmaps")
                .build())
        .withRequestKind(
            new GroupVersionKindBuilder()
                .withGroup("")
                .withVersion("v1")
                .withKind("ConfigMap")
                .build())
        .withRequestResource(
            new GroupVersionResourceBuilder()
                .withGroup("")
                .withVersion("v1")
                .withResource("configmaps")
                .build())
        .withName("settings")
        .withNamespace("shop")
        .withOperation(operation)
        .withUserInfo(
            new UserInfoBuilder()
                .withUsername("kubernetes-admin")
                .withGroups("system:masters", "system:authenticated")
                .build())
        .withObject("DELETE".equals(operation) ? null : configMap)
        .withOldObject("CREATE".equals(operation) ? null : configMap)
        .withDryRun(false)
        .endRequest()
        .build();
  }

  private static ConfigMap configMap(Map<String, String> data) {
    ConfigMapBuilder builder =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("settings")
            .withNamespace("shop")
            .addToLabels("app", "shop")
            .endMetadata();
    if (data != null) {
      builder.withData(data);
    }
    return builder.build();
  }

  private static JsonNode patchOf(AdmissionResponse response) {
    return Trees.parse(Base64.getDecoder().decode(response.getPatch()));
  }

  @Test
  void notAllowedValueIsDeniedWithTheValidatorsMessage() {
    AdmissionReview answer =
        handler.handle(review("uid-deny", "CREATE", configMap(Map.of("not-allowed-value", "x"))));

    AdmissionResponse response = answer.getResponse();
    assertThat(answer.getApiVersion()).isEqualTo("admission.k8s.io/v1");
    assertThat(answer.getKind()).isEqualTo("AdmissionReview");
    assertThat(answer.getRequest()).isNull();
    assertThat(response.getUid()).isEqualTo("uid-deny");
    assertThat(response.getAllowed()).isFalse();
    assertThat(response.getStatus().getCode()).isEqualTo(403);
    assertThat(response.getStatus().getMessage())
        .contains("magic_validator")
        .contains("value 'not-allowed-value' not allowed in configmap");
    assertThat(response.getPatch()).isNull();
    assertThat(response.getPatchType()).isNull();
  }

  @Test
  void otherConfigMapsAreAllowedWithAPatchAddingTheMagicValue() {
    ConfigMap configMap = configMap(Map.of("colour", "blue"));

    AdmissionResponse response =
        handler.handle(review("uid-ok", "CREATE", configMap)).getResponse();

    assertThat(response.getUid()).isEqualTo("uid-ok");
    assertThat(response.getAllowed()).isTrue();
    assertThat(response.getStatus()).isNull();
    assertThat(response.getPatchType()).isEqualTo("JSONPatch");
    JsonNode patch = patchOf(response);
    assertSameJson(
        patch,
        Trees.parse("[{\"op\":\"add\",\"path\":\"/data/magic-value\",\"value\":\"foobar\"}]"));

    // applied the way kube-apiserver applies it, the patch gives the mutated ConfigMap
    JsonNode patched = JsonPatches.apply(patch, Trees.fabric8(configMap));
    assertThat(patched.at("/data/magic-value").asText()).isEqualTo("foobar");
    assertThat(patched.at("/data/colour").asText()).isEqualTo("blue");
    assertThat(patched.at("/metadata/labels/app").asText()).isEqualTo("shop");
  }

  @Test
  void configMapWithoutDataGetsADataMap() {
    AdmissionResponse response =
        handler.handle(review("uid-empty", "CREATE", configMap(null))).getResponse();

    assertThat(response.getAllowed()).isTrue();
    assertSameJson(
        patchOf(response),
        Trees.parse(
            "[{\"op\":\"add\",\"path\":\"/data\",\"value\":{\"magic-value\":\"foobar\"}}]"));
  }

  @Test
  void updateReplacesAnotherMagicValue() {
    AdmissionResponse response =
        handler
            .handle(review("uid-update", "UPDATE", configMap(Map.of("magic-value", "old"))))
            .getResponse();

    assertThat(response.getAllowed()).isTrue();
    assertSameJson(
        patchOf(response),
        Trees.parse("[{\"op\":\"replace\",\"path\":\"/data/magic-value\",\"value\":\"foobar\"}]"));
  }

  @Test
  void deleteIsNotMatchedByTheRulesAndAllowedUnchanged() {
    AdmissionResponse response =
        handler
            .handle(review("uid-delete", "DELETE", configMap(Map.of("not-allowed-value", "x"))))
            .getResponse();

    assertThat(response.getAllowed()).isTrue();
    assertThat(response.getPatch()).isNull();
  }

  @Test
  void bytesGiveTheSameAnswers() throws Exception {
    for (AdmissionReview review :
        new AdmissionReview[] {
          review("uid-b1", "CREATE", configMap(Map.of("not-allowed-value", "x"))),
          review("uid-b2", "CREATE", configMap(Map.of("colour", "blue")))
        }) {
      byte[] answer = handler.handle(Fabric8Reviews.mapper().writeValueAsBytes(review));

      assertSameJson(Trees.parse(answer), Trees.fabric8(handler.handle(review)));
    }
  }
}
