package dev.k8swasm.fabric8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.json.Json;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.runtime.RawExtension;
import java.util.Objects;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Converts reviews between the k8s-wasm wire types ({@code dev.k8swasm.*}) and the fabric8
 * Kubernetes model ({@code io.fabric8.kubernetes.api.model.*}), in both directions:
 *
 * <ul>
 *   <li>{@code admission.k8s.io/v1 AdmissionReview} &harr; {@link AdmissionReview}
 *   <li>{@code authentication.k8s.io/v1} (and {@code v1beta1}) {@code TokenReview} &harr; {@link
 *       TokenReview}
 *   <li>{@code authorization.k8s.io/v1} (and {@code v1beta1}) {@code SubjectAccessReview} &harr;
 *       {@link SubjectAccessReview}
 * </ul>
 *
 * <p>Conversions go through JSON with one Jackson mapper that reads fabric8's model the way
 * fabric8's own deserialisation does (its classes are Jackson-annotated), with floating-point
 * numbers kept as {@link java.math.BigDecimal}. Nothing is converted between API versions: {@code
 * apiVersion}, {@code kind} and every field are copied as they are, and the fabric8 class only
 * gives the document its Java shape (convert a v1beta1 review with {@code toFabric8V1beta1} so its
 * v1beta1-only field names land in typed properties). Every method is thread-safe.
 *
 * <h2>What is guaranteed</h2>
 *
 * <ul>
 *   <li><b>fabric8 &rarr; k8s-wasm is exact.</b> The k8s-wasm types keep every field, known or not,
 *       so {@code fromFabric8(x)} serialises to the same JSON tree as fabric8 serialises {@code x},
 *       and {@code toFabric8(fromFabric8(x))} serialises to that same tree again.
 *   <li><b>k8s-wasm &rarr; fabric8 &rarr; k8s-wasm is exact for every field</b> of the official
 *       types, for unknown fields at every level (they go to fabric8's {@code additionalProperties}
 *       and come back), for numbers of any size or precision, and for fields fabric8 does not type
 *       (the contents of {@code GenericKubernetesResource}, {@code RawExtension}, {@code
 *       additionalProperties}) — <em>except</em> where fabric8's Java model cannot tell two JSON
 *       documents apart. Both documents then mean the same to Kubernetes, but the JSON differs:
 *       <ol>
 *         <li>an explicit JSON {@code null} in a property fabric8 types becomes absent, e.g. {@code
 *             "oldObject": null} in a CREATE request or {@code "creationTimestamp": null} in the
 *             metadata of an object being created (both are what kube-apiserver sends);
 *         <li>an empty array or map in a property fabric8 types as a collection becomes absent
 *             (fabric8 omits empty collections), e.g. {@code "finalizers": []}, {@code "labels":
 *             {}}, {@code "warnings": []}; Kubernetes' {@code omitempty} does the same on the way
 *             out of the API server;
 *         <li>a resource quantity written as a JSON number becomes a string ({@code "cpu": 2}
 *             &rarr; {@code "cpu": "2"}), as fabric8's {@code Quantity} always writes strings;
 *         <li>a value of the wrong JSON type for a property fabric8 types is coerced by Jackson
 *             where it can (a number for a string) and rejected otherwise (see below).
 *       </ol>
 *       fabric8 initialises {@code apiVersion} and {@code kind} of reviews and of {@code Status};
 *       these defaults are removed again when the k8s-wasm document has no such field, so they
 *       never appear from nowhere.
 * </ul>
 *
 * <p>Where that is not enough — a webhook server answering kube-apiserver — read the bytes straight
 * into the k8s-wasm types (as {@link Fabric8AdmissionHandler#handle(byte[])} does), which is
 * lossless.
 *
 * <h2>{@code object}, {@code oldObject} and {@code options}</h2>
 *
 * <p>fabric8 types these as {@code Object} and resolves them by {@code apiVersion} and {@code
 * kind}. {@link #toFabric8(AdmissionReview)} produces what fabric8's own deserialisation does:
 *
 * <ul>
 *   <li>a kind fabric8 knows becomes its model class ({@code Pod}, {@code ConfigMap}, ...). Which
 *       kinds are known depends on the fabric8 model jars on the class path (this artifact brings
 *       {@code kubernetes-model-core} and {@code -admissionregistration}; a {@code Deployment}
 *       needs {@code kubernetes-model-apps}), plus custom resource classes registered the fabric8
 *       way, in {@code META-INF/services/io.fabric8.kubernetes.api.model.KubernetesResource} (such
 *       a class must opt out of the kind-resolving deserialiser it inherits from {@code
 *       KubernetesResource}, with {@code @JsonDeserialize(using = JsonDeserializer.None.class)} as
 *       fabric8's {@code CustomResource} does, or resolving it recurses for ever);
 *   <li>any other kind becomes a {@code GenericKubernetesResource};
 *   <li>a document without a string {@code apiVersion} and {@code kind} (such as {@code options}
 *       without them), a JSON array or a scalar becomes a {@code RawExtension} holding plain Java
 *       maps, lists and values. fabric8 itself would turn an array into a {@code KubernetesList} or
 *       fail; this class keeps it as it is. A document that its model class cannot read (a string
 *       where the class has an object) is kept in a {@code RawExtension} too, rather than failing
 *       the whole review.
 * </ul>
 *
 * <p>The fabric8 {@code AdmissionResponse.patch} is the base64 text of the patch, exactly as on the
 * wire and in {@link dev.k8swasm.admission.AdmissionResponse#patch()}; it is copied as text, never
 * decoded.
 *
 * <h2>Failures</h2>
 *
 * <p>A document that fabric8's model cannot hold at all — a field of the wrong JSON type in a typed
 * part of a review, such as {@code "metadata": "x"} or {@code "status": {"details": 1}} — is
 * rejected with an {@link IllegalArgumentException} naming the fabric8 class; so is a fabric8
 * object Jackson cannot serialise, or whose JSON does not fit the k8s-wasm type.
 */
public final class Fabric8Reviews {

  private static final String API_VERSION = "apiVersion";
  private static final String KIND = "kind";

  /**
   * The mapper for fabric8's model: a plain Jackson 3 mapper (fabric8's model classes carry their
   * own Jackson 3 annotations since fabric8 8; the k8s-wasm trees are Jackson 2, so values cross
   * between the two as JSON bytes), keeping every float as BigDecimal so no precision is lost on
   * the way to fabric8's {@code additionalProperties} and raw values. None of fabric8's optional
   * Jackson modules are registered: {@code GoCompatibilityModule} rewrites octal {@code mode}
   * strings and {@code UnmatchedFieldTypeModule} garbles mismatched arrays, both lossy.
   */
  private static final JsonMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxStringLength(Integer.MAX_VALUE)
                          .maxNestingDepth(500)
                          .build())
                  .build())
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          // fabric8's kind resolution re-reads object trees; keep 1.50 as 1.50, not 1.5
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  private static final String[] EMBEDDED = {"object", "oldObject", "options"};

  private Fabric8Reviews() {}

  /** The mapper used for fabric8's model; tests only. Do not reconfigure it. */
  static ObjectMapper mapper() {
    return MAPPER;
  }

  // ---------------------------------------------------------------- admission

  /**
   * Converts a k8s-wasm AdmissionReview to fabric8's {@code admission.k8s.io/v1} model.
   *
   * @param review the review to convert
   * @return the same review as a fabric8 object
   * @throws IllegalArgumentException when fabric8's model cannot hold the review
   */
  public static io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview toFabric8(
      AdmissionReview review) {
    Objects.requireNonNull(review, "review");
    ObjectNode tree = Json.toTree(review);
    JsonNode request = tree.get("request");
    JsonNode[] embedded = new JsonNode[EMBEDDED.length];
    if (request instanceof ObjectNode fields) {
      // object, oldObject and options are resolved one by one below
      for (int i = 0; i < EMBEDDED.length; i++) {
        embedded[i] = fields.remove(EMBEDDED[i]);
      }
    }
    var out = convert(tree, io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview.class);
    dropDefaultTypeMeta(tree, out::setApiVersion, out::setKind);
    AdmissionRequest outRequest = out.getRequest();
    if (outRequest != null) {
      outRequest.setObject(embedded(embedded[0]));
      outRequest.setOldObject(embedded(embedded[1]));
      outRequest.setOptions(embedded(embedded[2]));
    }
    AdmissionResponse outResponse = out.getResponse();
    if (outResponse != null && outResponse.getStatus() != null) {
      Status status = outResponse.getStatus();
      dropDefaultTypeMeta(
          tree.path("response").path("status"), status::setApiVersion, status::setKind);
    }
    return out;
  }

  /**
   * Converts fabric8's {@code admission.k8s.io/v1} AdmissionReview to a k8s-wasm AdmissionReview.
   *
   * @param review the fabric8 review to convert
   * @return the same review as a k8s-wasm value
   * @throws IllegalArgumentException when the review cannot be serialised or does not fit
   */
  public static AdmissionReview fromFabric8(
      io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview review) {
    return fromFabric8(review, AdmissionReview.class);
  }

  // ---------------------------------------------------------------- authentication

  /**
   * Converts a k8s-wasm TokenReview to fabric8's {@code authentication.k8s.io/v1} model.
   *
   * @param review the review to convert
   * @return the same review as a fabric8 object
   * @throws IllegalArgumentException when fabric8's model cannot hold the review
   */
  public static io.fabric8.kubernetes.api.model.authentication.TokenReview toFabric8(
      TokenReview review) {
    Objects.requireNonNull(review, "review");
    ObjectNode tree = Json.toTree(review);
    var out = convert(tree, io.fabric8.kubernetes.api.model.authentication.TokenReview.class);
    dropDefaultTypeMeta(tree, out::setApiVersion, out::setKind);
    return out;
  }

  /**
   * Converts a k8s-wasm TokenReview to fabric8's {@code authentication.k8s.io/v1beta1} model.
   *
   * @param review the review to convert
   * @return the same review as a fabric8 object
   * @throws IllegalArgumentException when fabric8's model cannot hold the review
   */
  public static io.fabric8.kubernetes.api.model.authentication.v1beta1.TokenReview toFabric8V1beta1(
      TokenReview review) {
    Objects.requireNonNull(review, "review");
    ObjectNode tree = Json.toTree(review);
    var out =
        convert(tree, io.fabric8.kubernetes.api.model.authentication.v1beta1.TokenReview.class);
    dropDefaultTypeMeta(tree, out::setApiVersion, out::setKind);
    return out;
  }

  /**
   * Converts fabric8's {@code authentication.k8s.io/v1} TokenReview to a k8s-wasm TokenReview.
   *
   * @param review the fabric8 review to convert
   * @return the same review as a k8s-wasm value
   * @throws IllegalArgumentException when the review cannot be serialised or does not fit
   */
  public static TokenReview fromFabric8(
      io.fabric8.kubernetes.api.model.authentication.TokenReview review) {
    return fromFabric8(review, TokenReview.class);
  }

  /**
   * Converts fabric8's {@code authentication.k8s.io/v1beta1} TokenReview to a k8s-wasm TokenReview.
   *
   * @param review the fabric8 review to convert
   * @return the same review as a k8s-wasm value
   * @throws IllegalArgumentException when the review cannot be serialised or does not fit
   */
  public static TokenReview fromFabric8(
      io.fabric8.kubernetes.api.model.authentication.v1beta1.TokenReview review) {
    return fromFabric8(review, TokenReview.class);
  }

  // ---------------------------------------------------------------- authorization

  /**
   * Converts a k8s-wasm SubjectAccessReview to fabric8's {@code authorization.k8s.io/v1} model. A
   * v1beta1 document keeps its {@code spec.group} in fabric8's {@code additionalProperties}; use
   * {@link #toFabric8V1beta1(SubjectAccessReview)} for it, or {@link SubjectAccessReview#toV1()}
   * first.
   *
   * @param review the review to convert
   * @return the same review as a fabric8 object
   * @throws IllegalArgumentException when fabric8's model cannot hold the review
   */
  public static io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview toFabric8(
      SubjectAccessReview review) {
    Objects.requireNonNull(review, "review");
    ObjectNode tree = Json.toTree(review);
    var out =
        convert(tree, io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview.class);
    dropDefaultTypeMeta(tree, out::setApiVersion, out::setKind);
    return out;
  }

  /**
   * Converts a k8s-wasm SubjectAccessReview to fabric8's {@code authorization.k8s.io/v1beta1}
   * model, whose spec names the groups field {@code group}. v1-only fields (such as the field and
   * label selectors of {@code resourceAttributes}) are kept in fabric8's {@code
   * additionalProperties}.
   *
   * @param review the review to convert
   * @return the same review as a fabric8 object
   * @throws IllegalArgumentException when fabric8's model cannot hold the review
   */
  public static io.fabric8.kubernetes.api.model.authorization.v1beta1.SubjectAccessReview
      toFabric8V1beta1(SubjectAccessReview review) {
    Objects.requireNonNull(review, "review");
    ObjectNode tree = Json.toTree(review);
    var out =
        convert(
            tree, io.fabric8.kubernetes.api.model.authorization.v1beta1.SubjectAccessReview.class);
    dropDefaultTypeMeta(tree, out::setApiVersion, out::setKind);
    return out;
  }

  /**
   * Converts fabric8's {@code authorization.k8s.io/v1} SubjectAccessReview to a k8s-wasm
   * SubjectAccessReview.
   *
   * @param review the fabric8 review to convert
   * @return the same review as a k8s-wasm value
   * @throws IllegalArgumentException when the review cannot be serialised or does not fit
   */
  public static SubjectAccessReview fromFabric8(
      io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview review) {
    return fromFabric8(review, SubjectAccessReview.class);
  }

  /**
   * Converts fabric8's {@code authorization.k8s.io/v1beta1} SubjectAccessReview to a k8s-wasm
   * SubjectAccessReview (its {@code spec.group} stays in {@link
   * dev.k8swasm.authz.SubjectAccessReviewSpec#group()}).
   *
   * @param review the fabric8 review to convert
   * @return the same review as a k8s-wasm value
   * @throws IllegalArgumentException when the review cannot be serialised or does not fit
   */
  public static SubjectAccessReview fromFabric8(
      io.fabric8.kubernetes.api.model.authorization.v1beta1.SubjectAccessReview review) {
    return fromFabric8(review, SubjectAccessReview.class);
  }

  // ---------------------------------------------------------------- shared

  /**
   * fabric8 → bytes → k8s-wasm. Going through bytes (rather than a token buffer) gives the k8s-wasm
   * trees the same number nodes as parsing the wire JSON does, so the result equals what {@link
   * Json#read} makes of fabric8's serialisation.
   */
  private static <T> T fromFabric8(Object review, Class<T> type) {
    Objects.requireNonNull(review, "review");
    byte[] json;
    try {
      json = MAPPER.writeValueAsBytes(review);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "cannot serialise fabric8 " + review.getClass().getName() + ": " + e.getOriginalMessage(),
          e);
    }
    return Json.read(json, type);
  }

  private static <T> T convert(JsonNode tree, Class<T> type) {
    try {
      return MAPPER.readValue(Json.write(tree), type);
    } catch (JacksonException | IllegalArgumentException e) {
      String detail = e instanceof JacksonException p ? p.getOriginalMessage() : e.getMessage();
      throw new IllegalArgumentException(
          "fabric8 " + type.getName() + " cannot hold this document: " + detail, e);
    }
  }

  /**
   * fabric8 initialises {@code apiVersion} and {@code kind}; clear them when the source has none.
   */
  private static void dropDefaultTypeMeta(
      JsonNode source, Consumer<String> setApiVersion, Consumer<String> setKind) {
    if (!source.has(API_VERSION)) {
      setApiVersion.accept(null);
    }
    if (!source.has(KIND)) {
      setKind.accept(null);
    }
  }

  /** {@code object}, {@code oldObject} or {@code options} as fabric8 would type it. */
  private static Object embedded(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.path(API_VERSION).isTextual() && node.path(KIND).isTextual()) {
      // let fabric8 resolve the kind: its deserialiser sits on AdmissionRequest.object
      ObjectNode holder = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      holder.set("object", node);
      try {
        return MAPPER.readValue(Json.write(holder), AdmissionRequest.class).getObject();
      } catch (JacksonException | IllegalArgumentException e) {
        // the model class for this kind cannot read the document: keep it raw (below)
      }
    }
    try {
      return new RawExtension(MAPPER.readValue(Json.write(node), Object.class));
    } catch (JacksonException e) {
      throw new IllegalArgumentException("cannot hold a value: " + e.getOriginalMessage(), e);
    }
  }
}
