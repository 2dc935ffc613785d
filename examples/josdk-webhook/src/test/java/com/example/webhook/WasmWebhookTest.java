package com.example.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.GroupVersionResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.authentication.UserInfoBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequestBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.javaoperatorsdk.webhook.admission.AdmissionController;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JOSDK's {@link AdmissionController} answering AdmissionReviews with k8s-wasm chains: the magic
 * validator (denies ConfigMaps with the key {@code not-allowed-value}) and the magic mutator (adds
 * {@code data.magic-value: foobar}).
 */
class WasmWebhookTest {
  /** The example modules: examples/modules, beside this project. */
  private static final Path MODULES =
      Path.of(System.getProperty("k8swasm.modules", "../modules")).toAbsolutePath().normalize();

  @TempDir static Path dir;
  private static WasmAdmissionHandler validating;
  private static WasmAdmissionHandler mutating;

  @BeforeAll
  static void load() throws IOException {
    validating = WasmAdmissionHandler.fromConfig(config("magic_validator", false));
    mutating = WasmAdmissionHandler.fromConfig(config("magic_mutator", true));
  }

  @AfterAll
  static void close() {
    validating.close();
    mutating.close();
  }

  private static Path config(String module, boolean mutating) throws IOException {
    Path file = dir.resolve(module + ".yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "modules:",
            "- module: '" + MODULES.resolve(module + ".wasm") + "'",
            "  mutating: " + mutating,
            "  rules:",
            "  - operations: [CREATE, UPDATE]",
            "    apiGroups: ['']",
            "    apiVersions: [v1]",
            "    resources: [configmaps]",
            ""),
        StandardCharsets.UTF_8);
    return file;
  }

  private static AdmissionReview create(String uid, KubernetesResource object, String resource) {
    String kind = object.getClass().getSimpleName();
    AdmissionRequest request =
        new AdmissionRequestBuilder()
            .withUid(uid)
            .withKind(new GroupVersionKind("", kind, "v1"))
            .withResource(new GroupVersionResource("", resource, "v1"))
            .withName("shop-settings")
            .withNamespace("shop")
            .withOperation("CREATE")
            .withUserInfo(new UserInfoBuilder().withUsername("alice").build())
            .withObject(object)
            .withDryRun(false)
            .build();
    AdmissionReview review = new AdmissionReview();
    review.setApiVersion("admission.k8s.io/v1");
    review.setKind("AdmissionReview");
    review.setRequest(request);
    return review;
  }

  private static ConfigMap configMap(String key) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName("shop-settings")
        .withNamespace("shop")
        .endMetadata()
        .addToData(key, "x")
        .build();
  }

  @Test
  void aValidatingChainDeniesThroughJosdk() {
    var controller = new AdmissionController<ConfigMap>(validating);

    AdmissionResponse response =
        controller.handle(create("uid-deny", configMap("not-allowed-value"), "configmaps"))
            .getResponse();

    assertThat(response.getUid()).isEqualTo("uid-deny");
    assertThat(response.getAllowed()).isFalse();
    assertThat(response.getStatus().getCode()).isEqualTo(403);
    assertThat(response.getStatus().getMessage())
        .isEqualTo(
            "module \"magic_validator\" denied the request: value 'not-allowed-value' not allowed"
                + " in configmap");
    assertThat(response.getPatch()).isNull();
  }

  @Test
  void aValidatingChainAllowsThroughJosdk() {
    var controller = new AdmissionController<ConfigMap>(validating);

    AdmissionResponse response =
        controller.handle(create("uid-allow", configMap("colour"), "configmaps")).getResponse();

    assertThat(response.getUid()).isEqualTo("uid-allow");
    assertThat(response.getAllowed()).isTrue();
  }

  @Test
  void aMutatingChainAnswersWithItsPatch() {
    var controller = new AdmissionController<ConfigMap>(mutating);

    AdmissionResponse response =
        controller.handle(create("uid-mutate", configMap("colour"), "configmaps")).getResponse();

    assertThat(response.getAllowed()).isTrue();
    assertThat(response.getPatchType()).isEqualTo("JSONPatch");
    assertThat(new String(Base64.getDecoder().decode(response.getPatch()), StandardCharsets.UTF_8))
        .isEqualTo("[{\"op\":\"add\",\"path\":\"/data/magic-value\",\"value\":\"foobar\"}]");
  }

  @Test
  void aRequestNoRuleMatchesIsAllowedWithoutAskingTheModule() {
    var controller = new AdmissionController<ConfigMap>(validating);
    var secret =
        new io.fabric8.kubernetes.api.model.SecretBuilder()
            .withNewMetadata()
            .withName("s")
            .endMetadata()
            .addToStringData("not-allowed-value", "x")
            .build();

    AdmissionResponse response =
        controller.handle(create("uid-secret", secret, "secrets")).getResponse();

    assertThat(response.getAllowed()).isTrue();
  }
}
