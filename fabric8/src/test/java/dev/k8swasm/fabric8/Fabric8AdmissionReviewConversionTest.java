package dev.k8swasm.fabric8;

import static dev.k8swasm.fabric8.Trees.assertSameJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.admission.AdmissionRequest;
import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.admission.GroupVersionKind;
import dev.k8swasm.json.Json;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionKindBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionResourceBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfoBuilder;
import io.fabric8.kubernetes.api.model.runtime.RawExtension;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Fabric8AdmissionReviewConversionTest {

  private static final io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview f8(
      AdmissionReview review) {
    return Fabric8Reviews.toFabric8(review);
  }

  private static AdmissionReview full() {
    return Json.read(Trees.resource("admission-review-full.json"), AdmissionReview.class);
  }

  @Test
  void fullyPopulatedReviewRoundTripsOursToFabric8ToOurs() {
    AdmissionReview ours = full();
    JsonNode wire = Trees.parse(Trees.resource("admission-review-full.json"));
    assertSameJson(Trees.ours(ours), wire);

    var fabric8 = f8(ours);
    assertSameJson(Trees.fabric8(fabric8), wire);
    assertSameJson(Trees.ours(ours), wire); // the input is left alone

    AdmissionReview back = Fabric8Reviews.fromFabric8(fabric8);
    assertSameJson(Trees.ours(back), wire);
    assertThat(back).isEqualTo(ours);
  }

  @Test
  void fullyPopulatedReviewRoundTripsFabric8ToOursToFabric8() {
    var fabric8 = f8(full());
    JsonNode before = Trees.fabric8(fabric8);

    var again = f8(Fabric8Reviews.fromFabric8(fabric8));

    assertSameJson(Trees.fabric8(again), before);
    assertThat(again).isEqualTo(fabric8);
  }

  @Test
  void fabric8SeesTypedFieldsAndUnknownFieldsInAdditionalProperties() {
    var review = f8(full());
    var request = review.getRequest();

    assertThat(review.getAdditionalProperties()).containsKey("x-review-extension");
    assertThat(request.getKind().getKind()).isEqualTo("Pod");
    assertThat(request.getKind().getAdditionalProperties()).containsEntry("x-kind-extension", "k");
    assertThat(request.getResource().getResource()).isEqualTo("pods");
    assertThat(request.getSubResource()).isEqualTo("status");
    assertThat(request.getRequestSubResource()).isEqualTo("status");
    assertThat(request.getOperation()).isEqualTo("UPDATE");
    assertThat(request.getDryRun()).isTrue();
    assertThat(request.getUserInfo().getGroups()).contains("system:authenticated");
    assertThat(request.getUserInfo().getExtra())
        .containsEntry("scopes.example.com", List.of("read", "write"));
    assertThat(request.getAdditionalProperties()).containsKey("x-request-extension");

    Pod pod = (Pod) request.getObject();
    assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
    assertThat(pod.getStatus().getContainerStatuses().get(0).getRestartCount()).isEqualTo(2);
    assertThat(pod.getSpec().getContainers().get(0).getResources().getLimits())
        .containsEntry("cpu", new Quantity("500m"));
    assertThat(pod.getSpec().getContainers().get(0).getLivenessProbe().getHttpGet().getPort())
        .isEqualTo(new IntOrString("http"));
    assertThat(pod.getSpec().getContainers().get(0).getReadinessProbe().getTcpSocket().getPort())
        .isEqualTo(new IntOrString(8080));
    assertThat(pod.getAdditionalProperties()).containsEntry("x-object-extension", true);
    assertThat(pod.getStatus().getAdditionalProperties())
        .containsEntry("x-status-extension", new BigDecimal("1.000000000000000000000000001"));
    assertThat(((Pod) request.getOldObject()).getStatus().getPhase()).isEqualTo("Pending");
    // meta.k8s.io/v1 UpdateOptions is not a kind fabric8 registers
    assertThat(request.getOptions()).isInstanceOf(GenericKubernetesResource.class);
    assertThat(((GenericKubernetesResource) request.getOptions()).getAdditionalProperties())
        .containsEntry("fieldManager", "kubectl-edit");

    var response = review.getResponse();
    assertThat(response.getAllowed()).isFalse();
    assertThat(response.getStatus().getCode()).isEqualTo(403);
    assertThat(response.getStatus().getDetails().getCauses().get(0).getField())
        .isEqualTo("spec.containers[0].image");
    assertThat(response.getStatus().getMetadata().getRemainingItemCount()).isEqualTo(4L);
    assertThat(response.getPatchType()).isEqualTo("JSONPatch");
    assertThat(response.getWarnings()).hasSize(2);
    assertThat(response.getAuditAnnotations()).containsKey("policy.example.com/rule");
  }

  @Test
  void patchIsCopiedAsBase64Text() {
    var review = f8(full());
    String patch = review.getResponse().getPatch();

    assertThat(patch).isEqualTo(full().response().patch());
    assertThat(new String(Base64.getDecoder().decode(patch), StandardCharsets.UTF_8))
        .isEqualTo("[{\"op\":\"add\",\"path\":\"/metadata/labels/patched\",\"value\":\"true\"}]");
  }

  @Test
  void reviewBuiltWithFabric8BuildersRoundTrips() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("p")
            .withNamespace("ns")
            .addToLabels("app", "a")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("c")
            .withImage("busybox")
            .withNewResources()
            .addToLimits("memory", new Quantity("1Gi"))
            .endResources()
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPhase("Pending")
            .endStatus()
            .build();
    pod.setAdditionalProperty("x-pod", Map.of("k", List.of(1, 2)));
    var review =
        new AdmissionReviewBuilder()
            .withNewRequest()
            .withUid("u-1")
            .withKind(new GroupVersionKindBuilder().withVersion("v1").withKind("Pod").build())
            .withResource(
                new GroupVersionResourceBuilder()
                    .withGroup("")
                    .withVersion("v1")
                    .withResource("pods")
                    .build())
            .withOperation("CREATE")
            .withNamespace("ns")
            .withName("p")
            .withUserInfo(
                new UserInfoBuilder()
                    .withUsername("u")
                    .withGroups("g")
                    .addToExtra("e", List.of("1"))
                    .build())
            .withObject(pod)
            .withOptions(
                new GenericKubernetesResourceBuilder()
                    .withApiVersion("meta.k8s.io/v1")
                    .withKind("CreateOptions")
                    .addToAdditionalProperties("fieldManager", "kubectl")
                    .build())
            .withDryRun(false)
            .endRequest()
            .withNewResponse()
            .withUid("u-1")
            .withAllowed(false)
            .withStatus(new StatusBuilder().withCode(400).withMessage("no").build())
            .withWarnings("w")
            .addToAuditAnnotations("a", "b")
            .endResponse()
            .build();
    review.setAdditionalProperty("x-top", 1);
    review.getRequest().setAdditionalProperty("x-request", "r");

    AdmissionReview ours = Fabric8Reviews.fromFabric8(review);
    assertSameJson(Trees.ours(ours), Trees.fabric8(review));
    assertThat(ours.request().userInfo().extra()).containsEntry("e", List.of("1"));
    assertThat(ours.request().object().path("metadata").path("labels").path("app").asText())
        .isEqualTo("a");
    // fabric8's Status carries its default apiVersion and kind, and they are kept
    assertThat(ours.response().status().apiVersion()).isEqualTo("v1");

    var back = Fabric8Reviews.toFabric8(ours);
    assertSameJson(Trees.fabric8(back), Trees.fabric8(review));
    assertThat(back).isEqualTo(review);
    assertThat(back.getRequest().getObject()).isInstanceOf(Pod.class).isEqualTo(pod);
  }

  @Test
  void unknownKindBecomesGenericKubernetesResource() {
    JsonNode widget =
        Trees.parse(
            "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\"},"
                + "\"spec\":{\"size\":3,\"nothing\":null,\"empty\":[],\"none\":{},"
                + "\"big\":123456789012345678901234567890.000000001}}");
    AdmissionReview ours = withObject(widget);

    var fabric8 = f8(ours);

    assertThat(fabric8.getRequest().getObject()).isInstanceOf(GenericKubernetesResource.class);
    var generic = (GenericKubernetesResource) fabric8.getRequest().getObject();
    assertThat(generic.getMetadata().getName()).isEqualTo("w");
    Object size = generic.get("spec", "size");
    assertThat(size).isEqualTo(3);
    // everything outside metadata is kept as it is, nulls and empty collections included
    assertSameJson(Trees.ours(Fabric8Reviews.fromFabric8(fabric8)), Trees.ours(ours));
  }

  @Test
  void registeredCustomResourceBecomesItsClass() {
    JsonNode gadget =
        Trees.parse(
            "{\"apiVersion\":\"test.k8s-wasm.dev/v1\",\"kind\":\"Gadget\","
                + "\"metadata\":{\"name\":\"g\"},\"spec\":{\"colour\":\"red\",\"extra\":1}}");
    AdmissionReview ours = withObject(gadget);

    var fabric8 = f8(ours);

    assertThat(fabric8.getRequest().getObject()).isInstanceOf(Gadget.class);
    Gadget typed = (Gadget) fabric8.getRequest().getObject();
    assertThat(typed.getSpec().getColour()).isEqualTo("red");
    assertSameJson(Trees.ours(Fabric8Reviews.fromFabric8(fabric8)), Trees.ours(ours));
  }

  @Test
  void documentsWithoutApiVersionAndKindArraysAndScalarsStayRaw() {
    for (String raw :
        List.of(
            "{\"metadata\":{\"name\":\"x\"},\"n\":1.5}",
            "{\"apiVersion\":\"v1\",\"n\":1}",
            "{\"apiVersion\":1,\"kind\":[\"Pod\"]}",
            "[{\"apiVersion\":\"v1\",\"kind\":\"Pod\"},{\"a\":null}]",
            "[1,\"two\",null]",
            "\"text\"",
            "42",
            "true")) {
      JsonNode value = Trees.parse(raw);
      AdmissionReview ours =
          AdmissionReview.of(
              AdmissionRequest.builder()
                  .uid("u")
                  .object(value)
                  .oldObject(value)
                  .options(value)
                  .build());

      var request = f8(ours).getRequest();

      assertThat(request.getObject()).as(raw).isInstanceOf(RawExtension.class);
      assertThat(request.getOldObject()).as(raw).isInstanceOf(RawExtension.class);
      assertThat(request.getOptions()).as(raw).isInstanceOf(RawExtension.class);
      assertSameJson(Trees.ours(Fabric8Reviews.fromFabric8(f8(ours))), Trees.ours(ours));
    }
  }

  @Test
  void objectItsModelClassCannotReadStaysRaw() {
    JsonNode broken =
        Trees.parse(
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},"
                + "\"spec\":{\"containers\":\"not a list\"}}");
    AdmissionReview ours = withObject(broken);

    var fabric8 = f8(ours);

    assertThat(fabric8.getRequest().getObject()).isInstanceOf(RawExtension.class);
    assertSameJson(Trees.ours(Fabric8Reviews.fromFabric8(fabric8)), Trees.ours(ours));
  }

  @Test
  void fabric8DefaultsForApiVersionAndKindDoNotAppear() {
    AdmissionReview ours =
        new AdmissionReview(
            null,
            null,
            AdmissionRequest.builder().uid("u").build(),
            AdmissionResponse.deny("u", 403, "no"),
            null);

    var fabric8 = f8(ours);

    assertThat(fabric8.getApiVersion()).isNull();
    assertThat(fabric8.getKind()).isNull();
    assertThat(fabric8.getResponse().getStatus().getApiVersion()).isNull();
    assertThat(fabric8.getResponse().getStatus().getKind()).isNull();
    assertSameJson(Trees.ours(Fabric8Reviews.fromFabric8(fabric8)), Trees.ours(ours));
  }

  @Test
  void numbersKeepTheirPrecisionAndScale() {
    String numbers =
        "{\"a\":1.50,\"b\":0.000,\"c\":-1E+400,\"d\":123456789012345678901234567890,"
            + "\"e\":0.1000000000000000055511151231257827}";
    JsonNode pod =
        Trees.parse(
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"x\":"
                + numbers
                + ",\"spec\":{\"x\":"
                + numbers
                + "}}");
    JsonNode generic =
        Trees.parse(
            "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"x\":" + numbers + "}");
    AdmissionReview ours =
        AdmissionReview.of(
            AdmissionRequest.builder()
                .uid("u")
                .object(pod)
                .oldObject(generic)
                .options(Trees.parse(numbers))
                .additionalProperties(Map.of("x", Trees.parse(numbers)))
                .build());

    String back = Json.writeString(Fabric8Reviews.fromFabric8(f8(ours)));

    assertThat(back)
        .contains("\"a\":1.50")
        .contains("\"b\":0.000")
        .contains("\"c\":-1E+400")
        .contains("\"d\":123456789012345678901234567890")
        .contains("\"e\":0.1000000000000000055511151231257827");
    assertSameJson(Trees.ours(Fabric8Reviews.fromFabric8(f8(ours))), Trees.ours(ours));
  }

  // ------------------------------------------------ documented limits of fabric8's model

  @Test
  void explicitNullsInTypedFieldsBecomeAbsent() {
    // what kube-apiserver sends for a CREATE: oldObject null, creationTimestamp null
    JsonNode wire =
        Trees.parse(
            "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{"
                + "\"uid\":\"u\",\"operation\":\"CREATE\",\"oldObject\":null,"
                + "\"object\":{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                + "\"metadata\":{\"name\":\"c\",\"creationTimestamp\":null},\"data\":{\"k\":\"v\"}}}}");
    AdmissionReview ours = Json.convert(wire, AdmissionReview.class);
    assertSameJson(Trees.ours(ours), wire);

    AdmissionReview back = Fabric8Reviews.fromFabric8(f8(ours));

    ObjectNode expected = wire.deepCopy();
    ((ObjectNode) expected.get("request")).remove("oldObject");
    ((ObjectNode) expected.at("/request/object/metadata")).remove("creationTimestamp");
    assertSameJson(Trees.ours(back), expected);
  }

  @Test
  void emptyCollectionsInTypedFieldsBecomeAbsent() {
    JsonNode wire =
        Trees.parse(
            "{\"request\":{\"uid\":\"u\",\"userInfo\":{\"username\":\"u\",\"groups\":[],"
                + "\"extra\":{}},\"object\":{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                + "\"metadata\":{\"name\":\"c\",\"labels\":{},\"finalizers\":[]},\"data\":{}}},"
                + "\"response\":{\"uid\":\"u\",\"allowed\":true,\"warnings\":[],"
                + "\"auditAnnotations\":{}}}");
    AdmissionReview ours = Json.convert(wire, AdmissionReview.class);

    AdmissionReview back = Fabric8Reviews.fromFabric8(f8(ours));

    JsonNode expected =
        Trees.parse(
            "{\"request\":{\"uid\":\"u\",\"userInfo\":{\"username\":\"u\"},"
                + "\"object\":{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                + "\"metadata\":{\"name\":\"c\"}}},\"response\":{\"uid\":\"u\",\"allowed\":true}}");
    assertSameJson(Trees.ours(back), expected);
  }

  @Test
  void numericQuantityBecomesString() {
    JsonNode pod =
        Trees.parse(
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"spec\":{\"containers\":[{\"name\":\"c\","
                + "\"resources\":{\"limits\":{\"cpu\":2,\"memory\":\"1Gi\"}}}]}}");

    AdmissionReview back = Fabric8Reviews.fromFabric8(f8(withObject(pod)));

    assertThat(back.request().object().at("/spec/containers/0/resources/limits/cpu"))
        .isEqualTo(JsonNodeFactory.instance.textNode("2"));
  }

  // ------------------------------------------------ failures

  @Test
  void reviewFabric8CannotHoldIsRejectedNamingTheClass() {
    AdmissionReview ours =
        new AdmissionReview(
            AdmissionReview.V1,
            AdmissionReview.KIND,
            null,
            new AdmissionResponse(
                "u",
                false,
                new dev.k8swasm.admission.Status(
                    null, null, null, null, "m", null, Trees.parse("[1]"), 400, null),
                null,
                null,
                null,
                null,
                null),
            null);

    assertThatThrownBy(() -> f8(ours))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview");
  }

  @Test
  void fromFabric8RejectsDocumentsOurTypesCannotRead() {
    var review = new AdmissionReviewBuilder().withNewRequest().withUid("u").endRequest().build();
    review.getRequest().setAdditionalProperty("kind", "not a GVK"); // shadows the typed field

    assertThatThrownBy(() -> Fabric8Reviews.fromFabric8(review))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AdmissionReview");
  }

  @Test
  void convertsConfigMapsForOperators() {
    ConfigMap cm =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("settings")
            .endMetadata()
            .addToData("k", "v")
            .build();
    var review =
        new AdmissionReviewBuilder()
            .withNewRequest()
            .withUid("u")
            .withKind(
                new GroupVersionKindBuilder()
                    .withGroup("")
                    .withVersion("v1")
                    .withKind("ConfigMap")
                    .build())
            .withObject(cm)
            .endRequest()
            .build();

    AdmissionReview ours = Fabric8Reviews.fromFabric8(review);

    assertThat(ours.request().kind()).isEqualTo(GroupVersionKind.of("", "v1", "ConfigMap"));
    assertThat(ours.request().object().path("data").path("k").asText()).isEqualTo("v");
    assertThat(Fabric8Reviews.toFabric8(ours).getRequest().getObject()).isEqualTo(cm);
  }

  private static AdmissionReview withObject(JsonNode object) {
    return AdmissionReview.of(
        AdmissionRequest.builder().uid("u").operation("CREATE").object(object).build());
  }
}
