package dev.k8swasm.fabric8;

import static dev.k8swasm.fabric8.Trees.assertSameJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.json.Json;
import io.fabric8.kubernetes.api.model.Pod;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random unknown fields — any JSON value, at any level the official types have objects — survive
 * k8s-wasm → fabric8 → k8s-wasm and fabric8 → k8s-wasm → fabric8 unchanged.
 */
class Fabric8ReviewsPropertiesTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The object nodes of the admission document that unknown fields are added to. */
  private static final List<String> ADMISSION_HOSTS =
      List.of(
          "",
          "/request",
          "/request/kind",
          "/request/resource",
          "/request/requestKind",
          "/request/requestResource",
          "/request/userInfo",
          "/request/object",
          "/request/object/metadata",
          "/request/object/metadata/ownerReferences/0",
          "/request/object/metadata/managedFields/0",
          "/request/object/spec",
          "/request/object/spec/containers/0",
          "/request/object/spec/containers/0/livenessProbe/httpGet",
          "/request/object/status",
          "/request/object/status/containerStatuses/0/state/running",
          "/request/oldObject",
          "/request/options",
          "/response",
          "/response/status",
          "/response/status/metadata",
          "/response/status/details",
          "/response/status/details/causes/0");

  private static final List<String> TOKEN_REVIEW_HOSTS =
      List.of("", "/metadata", "/spec", "/status", "/status/user");

  private static final List<String> SUBJECT_ACCESS_REVIEW_HOSTS =
      List.of(
          "",
          "/metadata",
          "/spec",
          "/spec/resourceAttributes",
          "/spec/resourceAttributes/fieldSelector",
          "/spec/resourceAttributes/labelSelector/requirements/0",
          "/spec/nonResourceAttributes",
          "/status");

  /** One unknown field: where it goes, its name and its value. */
  record Extra(String host, String name, JsonNode value) {}

  // ---------------------------------------------------------------- properties

  @Property(tries = 300)
  void admissionExtrasSurviveOursToFabric8ToOurs(@ForAll("admissionExtras") List<Extra> extras) {
    JsonNode wire = with("admission-review-full.json", extras);
    AdmissionReview ours = Json.convert(wire, AdmissionReview.class);

    AdmissionReview back = Fabric8Reviews.fromFabric8(Fabric8Reviews.toFabric8(ours));

    assertSameJson(Trees.ours(back), Trees.ours(wire));
  }

  @Property(tries = 300)
  void admissionExtrasSurviveFabric8ToOursToFabric8(@ForAll("admissionExtras") List<Extra> extras) {
    var fabric8 =
        Fabric8Reviews.toFabric8(
            Json.read(Trees.resource("admission-review-full.json"), AdmissionReview.class));
    // unknown fields set the fabric8 way, as plain Java values
    for (Extra extra : extras) {
      Map<String, Object> target = additionalPropertiesAt(fabric8, extra.host());
      if (target != null) {
        target.put(extra.name(), javaValue(extra.value()));
      }
    }
    JsonNode before = Trees.fabric8(fabric8);

    var again = Fabric8Reviews.toFabric8(Fabric8Reviews.fromFabric8(fabric8));

    assertSameJson(Trees.fabric8(again), before);
  }

  @Property(tries = 200)
  void tokenReviewExtrasSurviveBothWays(@ForAll("tokenReviewExtras") List<Extra> extras) {
    for (String resource : List.of("token-review-v1.json", "token-review-v1beta1.json")) {
      boolean v1 = resource.equals("token-review-v1.json");
      Function<TokenReview, Object> toFabric8 =
          v1 ? Fabric8Reviews::toFabric8 : Fabric8Reviews::toFabric8V1beta1;
      JsonNode wire = with(resource, extras);
      TokenReview ours = Json.convert(wire, TokenReview.class);

      Object fabric8 = toFabric8.apply(ours);
      TokenReview back =
          v1
              ? Fabric8Reviews.fromFabric8(
                  (io.fabric8.kubernetes.api.model.authentication.TokenReview) fabric8)
              : Fabric8Reviews.fromFabric8(
                  (io.fabric8.kubernetes.api.model.authentication.v1beta1.TokenReview) fabric8);

      assertSameJson(Trees.fabric8(fabric8), Trees.ours(wire));
      assertSameJson(Trees.ours(back), Trees.ours(wire));
      assertSameJson(Trees.fabric8(toFabric8.apply(back)), Trees.fabric8(fabric8));
    }
  }

  @Property(tries = 200)
  void subjectAccessReviewExtrasSurviveBothWays(
      @ForAll("subjectAccessReviewExtras") List<Extra> extras) {
    for (String resource :
        List.of("subject-access-review-v1.json", "subject-access-review-v1beta1.json")) {
      boolean v1 = resource.equals("subject-access-review-v1.json");
      Function<SubjectAccessReview, Object> toFabric8 =
          v1 ? Fabric8Reviews::toFabric8 : Fabric8Reviews::toFabric8V1beta1;
      JsonNode wire = with(resource, extras);
      SubjectAccessReview ours = Json.convert(wire, SubjectAccessReview.class);

      Object fabric8 = toFabric8.apply(ours);
      SubjectAccessReview back =
          v1
              ? Fabric8Reviews.fromFabric8(
                  (io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview) fabric8)
              : Fabric8Reviews.fromFabric8(
                  (io.fabric8.kubernetes.api.model.authorization.v1beta1.SubjectAccessReview)
                      fabric8);

      assertSameJson(Trees.fabric8(fabric8), Trees.ours(wire));
      assertSameJson(Trees.ours(back), Trees.ours(wire));
      assertSameJson(Trees.fabric8(toFabric8.apply(back)), Trees.fabric8(fabric8));
    }
  }

  // ---------------------------------------------------------------- generators

  @Provide
  Arbitrary<List<Extra>> admissionExtras() {
    return extras(ADMISSION_HOSTS);
  }

  @Provide
  Arbitrary<List<Extra>> tokenReviewExtras() {
    return extras(TOKEN_REVIEW_HOSTS);
  }

  @Provide
  Arbitrary<List<Extra>> subjectAccessReviewExtras() {
    return extras(SUBJECT_ACCESS_REVIEW_HOSTS);
  }

  private static Arbitrary<List<Extra>> extras(List<String> hosts) {
    Arbitrary<String> names =
        Arbitraries.strings()
            .alpha()
            .numeric()
            .withChars('-', '.', '/', '_')
            .ofMinLength(1)
            .ofMaxLength(12)
            .map(s -> "x-" + s);
    return Combinators.combine(Arbitraries.of(hosts), names, json(3))
        .as(Extra::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(8);
  }

  /** Any JSON value, nested up to {@code depth} levels. */
  private static Arbitrary<JsonNode> json(int depth) {
    Arbitrary<JsonNode> scalars =
        Arbitraries.oneOf(
            Arbitraries.just(NODES.nullNode()),
            Arbitraries.of(true, false).map(NODES::booleanNode),
            Arbitraries.integers().map(NODES::numberNode),
            Arbitraries.longs().map(NODES::numberNode),
            Arbitraries.bigIntegers()
                .between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30))
                .map(NODES::numberNode),
            Arbitraries.bigDecimals()
                .between(new BigDecimal("-1e12"), new BigDecimal("1e12"))
                .ofScale(12)
                .map(d -> (JsonNode) NODES.numberNode(d)),
            Arbitraries.strings()
                .withCharRange(' ', '\uD7FF')
                .withChars('\n', '\t', '"', '\\', '\u0000')
                .ofMaxLength(20)
                .map(NODES::textNode));
    if (depth == 0) {
      return scalars;
    }
    Arbitrary<JsonNode> arrays =
        Arbitraries.lazy(() -> json(depth - 1))
            .list()
            .ofMaxSize(3)
            .map(
                items -> {
                  ArrayNode array = NODES.arrayNode();
                  items.forEach(array::add);
                  return array;
                });
    Arbitrary<JsonNode> objects =
        Arbitraries.maps(
                Arbitraries.strings().ofMinLength(0).ofMaxLength(6).withCharRange(' ', '~'),
                Arbitraries.lazy(() -> json(depth - 1)))
            .ofMaxSize(3)
            .map(
                fields -> {
                  ObjectNode object = NODES.objectNode();
                  fields.forEach(object::set);
                  return object;
                });
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, scalars),
        net.jqwik.api.Tuple.of(1, arrays),
        net.jqwik.api.Tuple.of(1, objects));
  }

  // ---------------------------------------------------------------- helpers

  /** A test document with the extras added. */
  private static JsonNode with(String resource, List<Extra> extras) {
    JsonNode document = Trees.parse(Trees.resource(resource));
    for (Extra extra : extras) {
      JsonNode host = extra.host().isEmpty() ? document : document.at(extra.host());
      ((ObjectNode) host).set(extra.name(), extra.value().deepCopy());
    }
    return document;
  }

  private static Object javaValue(JsonNode value) {
    try {
      return Json.reader().forType(Object.class).readValue(value);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The fabric8 additionalProperties map at an admission host, or null where there is none. */
  private static Map<String, Object> additionalPropertiesAt(
      io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview review, String host) {
    var request = review.getRequest();
    var response = review.getResponse();
    Pod pod = (Pod) request.getObject();
    return switch (host) {
      case "" -> review.getAdditionalProperties();
      case "/request" -> request.getAdditionalProperties();
      case "/request/kind" -> request.getKind().getAdditionalProperties();
      case "/request/resource" -> request.getResource().getAdditionalProperties();
      case "/request/requestKind" -> request.getRequestKind().getAdditionalProperties();
      case "/request/requestResource" -> request.getRequestResource().getAdditionalProperties();
      case "/request/userInfo" -> request.getUserInfo().getAdditionalProperties();
      case "/request/object" -> pod.getAdditionalProperties();
      case "/request/object/metadata" -> pod.getMetadata().getAdditionalProperties();
      case "/request/object/spec" -> pod.getSpec().getAdditionalProperties();
      case "/request/object/spec/containers/0" ->
          pod.getSpec().getContainers().get(0).getAdditionalProperties();
      case "/request/object/status" -> pod.getStatus().getAdditionalProperties();
      case "/request/oldObject" -> ((Pod) request.getOldObject()).getAdditionalProperties();
      case "/response" -> response.getAdditionalProperties();
      case "/response/status" -> response.getStatus().getAdditionalProperties();
      case "/response/status/metadata" ->
          response.getStatus().getMetadata().getAdditionalProperties();
      case "/response/status/details" ->
          response.getStatus().getDetails().getAdditionalProperties();
      default -> null;
    };
  }
}
