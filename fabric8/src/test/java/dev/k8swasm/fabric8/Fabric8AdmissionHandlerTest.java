package dev.k8swasm.fabric8;

import static dev.k8swasm.fabric8.Trees.assertSameJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.admission.AdmissionController;
import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.admission.Status;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class Fabric8AdmissionHandlerTest {

  private static final byte[] PATCH =
      "[{\"op\":\"add\",\"path\":\"/data/added\",\"value\":\"yes\"}]"
          .getBytes(StandardCharsets.UTF_8);

  /** Allows with a patch, a warning and an audit annotation. */
  private static final AdmissionController MUTATOR =
      review ->
          review.withResponse(
              AdmissionResponse.allow(review.request().uid())
                  .withPatch(PATCH, AdmissionResponse.JSON_PATCH)
                  .withWarningsAndAnnotations(List.of("careful"), Map.of("seen", "yes")));

  private static io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview request(String uid) {
    return new AdmissionReviewBuilder()
        .withNewRequest()
        .withUid(uid)
        .withOperation("CREATE")
        .withNamespace("ns")
        .withName("settings")
        .withObject(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .withNamespace("ns")
                .endMetadata()
                .addToData("k", "v")
                .build())
        .endRequest()
        .build();
  }

  @Test
  void answersWithApiVersionKindAndResponseOnly() {
    var handler = Fabric8AdmissionHandler.of(MUTATOR);
    var in = request("uid-1");
    in.setAdditionalProperty("x-top", "not echoed");

    var out = handler.handle(in);

    assertThat(out.getApiVersion()).isEqualTo("admission.k8s.io/v1");
    assertThat(out.getKind()).isEqualTo("AdmissionReview");
    assertThat(out.getRequest()).isNull();
    assertThat(out.getAdditionalProperties()).isEmpty();
    var response = out.getResponse();
    assertThat(response.getUid()).isEqualTo("uid-1");
    assertThat(response.getAllowed()).isTrue();
    assertThat(response.getPatchType()).isEqualTo("JSONPatch");
    assertThat(java.util.Base64.getDecoder().decode(response.getPatch())).isEqualTo(PATCH);
    assertThat(response.getWarnings()).containsExactly("careful");
    assertThat(response.getAuditAnnotations()).containsEntry("seen", "yes");
    assertSameJson(
        Trees.fabric8(out),
        Trees.parse(
            "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":{"
                + "\"uid\":\"uid-1\",\"allowed\":true,\"patch\":\""
                + java.util.Base64.getEncoder().encodeToString(PATCH)
                + "\",\"patchType\":\"JSONPatch\",\"auditAnnotations\":{\"seen\":\"yes\"},"
                + "\"warnings\":[\"careful\"]}}"));
  }

  @Test
  void controllerSeesTheConvertedRequest() {
    AtomicReference<AdmissionReview> seen = new AtomicReference<>();
    var handler =
        Fabric8AdmissionHandler.of(
            review -> {
              seen.set(review);
              return review.withResponse(AdmissionResponse.allow(review.request().uid()));
            });

    handler.handle(request("uid-2"));

    AdmissionReview review = seen.get();
    assertThat(review.apiVersion()).isEqualTo(AdmissionReview.V1);
    assertThat(review.request().uid()).isEqualTo("uid-2");
    assertThat(review.request().object().path("data").path("k").asText()).isEqualTo("v");
    assertThat(review.request().object().path("kind").asText()).isEqualTo("ConfigMap");
  }

  @Test
  void denialKeepsStatus() {
    var handler =
        Fabric8AdmissionHandler.of(
            review ->
                review.withResponse(
                    AdmissionResponse.deny(review.request().uid(), 403, "not today")));

    var response = handler.handle(request("uid-3")).getResponse();

    assertThat(response.getAllowed()).isFalse();
    assertThat(response.getStatus().getCode()).isEqualTo(403);
    assertThat(response.getStatus().getMessage()).isEqualTo("not today");
    // no apiVersion/kind appear in the Status that the controller did not set
    assertThat(response.getStatus().getApiVersion()).isNull();
    assertThat(response.getStatus().getKind()).isNull();
    assertThat(response.getPatch()).isNull();
  }

  @Test
  void responseUidIsAlwaysTheRequestUid() {
    var missing =
        Fabric8AdmissionHandler.of(review -> review.withResponse(AdmissionResponse.allow(null)));
    var wrong =
        Fabric8AdmissionHandler.of(review -> review.withResponse(AdmissionResponse.allow("other")));

    assertThat(missing.handle(request("uid-4")).getResponse().getUid()).isEqualTo("uid-4");
    assertThat(wrong.handle(request("uid-5")).getResponse().getUid()).isEqualTo("uid-5");
  }

  @Test
  void bytesAndFabric8GiveTheSameAnswer() throws Exception {
    var handler = Fabric8AdmissionHandler.of(MUTATOR);
    var review = request("uid-6");
    byte[] json = Fabric8Reviews.mapper().writeValueAsBytes(review);

    byte[] fromBytes = handler.handle(json);
    var fromFabric8 = handler.handle(review);

    assertSameJson(Trees.parse(fromBytes), Trees.fabric8(fromFabric8));
  }

  @Test
  void bytesReachTheControllerExactlyAsSent() {
    // what kube-apiserver sends on CREATE; fabric8's model would drop both nulls and the empty map
    String wire =
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{"
            + "\"uid\":\"uid-7\",\"operation\":\"CREATE\",\"oldObject\":null,\"object\":{"
            + "\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\","
            + "\"creationTimestamp\":null,\"labels\":{}},\"data\":{\"ratio\":1.50}}}}";
    AtomicReference<AdmissionReview> seen = new AtomicReference<>();
    var handler =
        Fabric8AdmissionHandler.of(
            review -> {
              seen.set(review);
              return review.withResponse(AdmissionResponse.allow(review.request().uid()));
            });

    byte[] answer = handler.handle(wire.getBytes(StandardCharsets.UTF_8));

    assertSameJson(Trees.ours(seen.get()), Trees.parse(wire));
    assertSameJson(
        Trees.parse(answer),
        Trees.parse(
            "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
                + "\"response\":{\"uid\":\"uid-7\",\"allowed\":true}}"));
  }

  @Test
  void v1beta1RequestGetsAV1beta1Answer() {
    var handler = Fabric8AdmissionHandler.of(MUTATOR);
    String wire =
        "{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\","
            + "\"request\":{\"uid\":\"u\",\"object\":{\"data\":{}}}}";

    JsonNode answer = Trees.parse(handler.handle(wire.getBytes(StandardCharsets.UTF_8)));

    assertThat(answer.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1beta1");
    assertThat(answer.path("response").path("uid").asText()).isEqualTo("u");
  }

  @Test
  void rejectsWhatIsNotAnAdmissionReviewWithARequest() {
    var handler = Fabric8AdmissionHandler.of(MUTATOR);

    assertThatThrownBy(() -> handler.handle("not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> handler.handle("{\"kind\":\"AdmissionReview\"}".getBytes()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no request");
    assertThatThrownBy(
            () ->
                handler.handle(
                    "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"request\":{}}"
                        .getBytes()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("authentication.k8s.io/v1");
    assertThatThrownBy(
            () ->
                handler.handle(
                    "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"Pod\",\"request\":{}}"
                        .getBytes()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Pod");
    assertThatThrownBy(
            () ->
                handler.handle(new io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no request");
  }

  @Test
  void controllerFailuresArePassedOn() {
    var failing =
        Fabric8AdmissionHandler.of(
            review -> {
              throw new IllegalStateException("boom");
            });
    var silent = Fabric8AdmissionHandler.of(review -> review);

    assertThatThrownBy(() -> failing.handle(request("u"))).hasMessage("boom");
    assertThatThrownBy(() -> silent.handle(request("u")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no response");
  }

  @Test
  void closeClosesAnAutoCloseableControllerOnce() {
    AtomicInteger closes = new AtomicInteger();
    class Closing implements AdmissionController, AutoCloseable {
      @Override
      public AdmissionReview admit(AdmissionReview review) {
        return review.withResponse(AdmissionResponse.allow(review.request().uid()));
      }

      @Override
      public void close() {
        closes.incrementAndGet();
      }
    }
    var handler = Fabric8AdmissionHandler.of(new Closing());
    handler.handle(request("u"));

    handler.close();
    handler.close();

    assertThat(closes).hasValue(1);
    assertThatThrownBy(() -> handler.handle(request("u")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void closingWithAPlainControllerIsFine() {
    try (var handler = Fabric8AdmissionHandler.of(MUTATOR)) {
      assertThat(handler.controller()).isSameAs(MUTATOR);
    }
  }

  @Test
  void checkedExceptionsFromCloseAreWrapped() {
    class Failing implements AdmissionController, AutoCloseable {
      @Override
      public AdmissionReview admit(AdmissionReview review) {
        return review;
      }

      @Override
      public void close() throws java.io.IOException {
        throw new java.io.IOException("disk");
      }
    }
    var handler = Fabric8AdmissionHandler.of(new Failing());

    assertThatThrownBy(handler::close)
        .isInstanceOf(IllegalStateException.class)
        .hasRootCauseMessage("disk");
  }

  @Test
  void isThreadSafe() throws Exception {
    var handler =
        Fabric8AdmissionHandler.of(
            review ->
                review.withResponse(
                    new AdmissionResponse(
                        review.request().uid(),
                        true,
                        new Status(
                            null,
                            null,
                            null,
                            null,
                            review.request().object().path("data").path("k").asText(),
                            null,
                            null,
                            200,
                            null),
                        null,
                        null,
                        null,
                        null,
                        null)));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        String uid = "uid-" + i;
        boolean bytes = i % 2 == 0;
        results.add(
            pool.submit(
                () -> {
                  var review = request(uid);
                  review
                      .getRequest()
                      .setObject(new ConfigMapBuilder().addToData("k", "value-" + uid).build());
                  if (bytes) {
                    JsonNode answer =
                        Trees.parse(
                            handler.handle(Fabric8Reviews.mapper().writeValueAsBytes(review)));
                    return answer.at("/response/uid").asText().equals(uid)
                        && answer.at("/response/status/message").asText().equals("value-" + uid);
                  }
                  var response = handler.handle(review).getResponse();
                  return response.getUid().equals(uid)
                      && response.getStatus().getMessage().equals("value-" + uid);
                }));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get(30, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> Fabric8AdmissionHandler.of(null))
        .isInstanceOf(NullPointerException.class);
    var handler = Fabric8AdmissionHandler.of(MUTATOR);
    assertThatThrownBy(() -> handler.handle((byte[]) null))
        .isInstanceOf(NullPointerException.class);
  }
}
