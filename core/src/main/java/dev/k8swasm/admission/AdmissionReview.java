package dev.k8swasm.admission;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.authn.UserInfo;
import dev.k8swasm.json.Copies;
import dev.k8swasm.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * An {@code admission.k8s.io/v1 AdmissionReview}: a request going to admission, a response coming
 * back. Unknown fields are kept, so the document round-trips unchanged.
 *
 * <p>Build a request from an object with {@link #builder(Operation)}; read the decision of an
 * answered review with {@link #allowed()}; answer kube-apiserver with {@link #toWebhookResponse()}
 * (an answered review still carries the whole request, which a webhook does not send back):
 *
 * <pre>{@code
 * AdmissionReview answered = chain.admit(AdmissionReview.builder(Operation.CREATE)
 *     .object(configMap)       // JSON or YAML text, a JsonNode, a Map, a fabric8 object
 *     .userInfo(user)
 *     .build());
 * if (!answered.allowed()) { ... answered.response().status().message() ... }
 * byte[] body = Json.write(answered.toWebhookResponse());
 * }</pre>
 *
 * @param apiVersion {@code admission.k8s.io/v1}
 * @param kind {@code AdmissionReview}
 * @param request the admission request
 * @param response the admission response
 * @param additionalProperties fields this version of the library does not model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdmissionReview(
    String apiVersion,
    String kind,
    AdmissionRequest request,
    AdmissionResponse response,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> additionalProperties) {

  /** {@code admission.k8s.io/v1}. */
  public static final String V1 = "admission.k8s.io/v1";

  /** {@code AdmissionReview}. */
  public static final String KIND = "AdmissionReview";

  public AdmissionReview {
    additionalProperties = Copies.fields(additionalProperties);
  }

  /** A v1 review carrying the request. */
  public static AdmissionReview of(AdmissionRequest request) {
    return new AdmissionReview(V1, KIND, request, null, null);
  }

  /**
   * A builder for a request with the given operation, the way kube-apiserver sends it to an
   * admission webhook; {@code kind}, {@code resource}, {@code name} and {@code namespace} are taken
   * from the object unless given. See {@link Builder}.
   */
  public static Builder builder(Operation operation) {
    return new Builder(operation);
  }

  /**
   * Whether the answered request is admitted: the response's {@code allowed}, absent read as false.
   *
   * @throws IllegalStateException when the review has no response (it has not been admitted)
   */
  public boolean allowed() {
    return answer().allowedOrFalse();
  }

  /**
   * The review as a webhook answers kube-apiserver: apiVersion, kind and the response, without the
   * request (which {@link AdmissionController#admit} leaves in the review it returns).
   *
   * @throws IllegalStateException when the review has no response (it has not been admitted)
   */
  public AdmissionReview toWebhookResponse() {
    return new AdmissionReview(
        apiVersion == null ? V1 : apiVersion,
        kind == null ? KIND : kind,
        null,
        answer(),
        additionalProperties);
  }

  private AdmissionResponse answer() {
    if (response == null) {
      throw new IllegalStateException(
          "the AdmissionReview has no response; pass it to an AdmissionController's admit() first");
    }
    return response;
  }

  /** A copy with the given response. */
  public AdmissionReview withResponse(AdmissionResponse response) {
    return new AdmissionReview(apiVersion, kind, request, response, additionalProperties);
  }

  /** A copy with the given request. */
  public AdmissionReview withRequest(AdmissionRequest request) {
    return new AdmissionReview(apiVersion, kind, request, response, additionalProperties);
  }

  /**
   * Builds an {@link AdmissionReview} request from a Kubernetes object, filling in what
   * kube-apiserver sends:
   *
   * <ul>
   *   <li>{@code kind} (and {@code requestKind}) from the object's {@code apiVersion} and {@code
   *       kind} ({@code oldObject}'s on DELETE), unless given with {@link #kind};
   *   <li>{@code resource} (and {@code requestResource}): the kind's group and version with the
   *       lower-case plural of the kind ({@code NetworkPolicy -> networkpolicies}); name it with
   *       {@link #resource(String)} when the plural is irregular (custom resources);
   *   <li>{@code name} and {@code namespace} from the object's {@code metadata};
   *   <li>a random {@code uid}, {@code dryRun: false}, and {@code options} as kube-apiserver sends
   *       them ({@code CreateOptions}, {@code UpdateOptions}, {@code DeleteOptions}; {@code dryRun:
   *       [All]} on a dry run).
   * </ul>
   *
   * CREATE needs an {@code object}, UPDATE an {@code object} and an {@code oldObject}, DELETE an
   * {@code oldObject} and no {@code object}. Not thread-safe; {@link #build()} may be called again.
   */
  public static final class Builder {
    private final Operation operation;
    private JsonNode object;
    private JsonNode oldObject;
    private String uid;
    private GroupVersionKind kind;
    private GroupVersionResource resource;
    private String resourceName;
    private String subResource;
    private String name;
    private String namespace;
    private UserInfo userInfo;
    private boolean dryRun;
    private JsonNode options;
    private boolean optionsSet;

    private Builder(Operation operation) {
      this.operation = Objects.requireNonNull(operation, "operation");
    }

    /**
     * The object being admitted: a {@link JsonNode}, JSON or YAML text ({@code String} or {@code
     * byte[]}, read by {@link Json#readTree}), or any object Jackson can convert (a {@code Map}, a
     * fabric8 model object).
     *
     * @throws IllegalArgumentException when text does not parse or the object does not convert
     */
    public Builder object(Object object) {
      this.object = tree(object, "object");
      return this;
    }

    /** The existing object (UPDATE and DELETE), in any form {@link #object(Object)} accepts. */
    public Builder oldObject(Object oldObject) {
      this.oldObject = tree(oldObject, "oldObject");
      return this;
    }

    /** The request uid (default: a random UUID). */
    public Builder uid(String uid) {
      this.uid = uid;
      return this;
    }

    /** The kind (default: the object's {@code apiVersion} and {@code kind}). */
    public Builder kind(GroupVersionKind kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
      return this;
    }

    /** The resource (default: the kind's group and version with the plural of the kind). */
    public Builder resource(GroupVersionResource resource) {
      this.resource = Objects.requireNonNull(resource, "resource");
      return this;
    }

    /** The resource name alone, e.g. {@code octopi}; group and version are the kind's. */
    public Builder resource(String resource) {
      this.resourceName = Objects.requireNonNull(resource, "resource");
      return this;
    }

    /** The subresource, e.g. {@code status} or {@code scale} (default: none). */
    public Builder subResource(String subResource) {
      this.subResource = subResource;
      return this;
    }

    /** The object's name (default: the object's {@code metadata.name}, else {@code ""}). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The namespace (default: the object's {@code metadata.namespace}). */
    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    /** Who makes the request (kube-apiserver always sends it; default: absent). */
    public Builder userInfo(UserInfo userInfo) {
      this.userInfo = userInfo;
      return this;
    }

    /** Whether the request is a dry run (default false). */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    /**
     * The operation's options (default: as kube-apiserver sends them), in any form {@link
     * #object(Object)} accepts; null for none.
     */
    public Builder options(Object options) {
      this.options = tree(options, "options");
      this.optionsSet = true;
      return this;
    }

    /**
     * The AdmissionRequest alone.
     *
     * @throws IllegalStateException when the objects do not fit the operation or the kind cannot be
     *     told
     */
    public AdmissionRequest request() {
      switch (operation) {
        case CREATE -> need(object != null && oldObject == null, "an object and no oldObject");
        case UPDATE -> need(object != null && oldObject != null, "an object and an oldObject");
        case DELETE -> need(object == null && oldObject != null, "an oldObject and no object");
        case CONNECT -> need(kind != null, "a kind(...)");
      }
      JsonNode subject = object != null ? object : oldObject;
      GroupVersionKind gvk = kind != null ? kind : kindOf(subject);
      GroupVersionResource gvr = resource;
      if (gvr == null) {
        gvr =
            GroupVersionResource.of(
                gvk.group(),
                gvk.version(),
                resourceName != null ? resourceName : KindPlurals.resourceOf(gvk.kind()));
      }
      String n = name != null ? name : metadata(subject, "name");
      String ns = namespace != null ? namespace : metadata(subject, "namespace");
      return AdmissionRequest.builder()
          .uid(uid != null ? uid : UUID.randomUUID().toString())
          .kind(gvk)
          .resource(gvr)
          .subResource(subResource)
          .requestKind(gvk)
          .requestResource(gvr)
          .requestSubResource(subResource)
          .name(n == null ? "" : n)
          .namespace(ns)
          .operation(operation.name())
          .userInfo(userInfo)
          .object(object)
          .oldObject(oldObject)
          .dryRun(dryRun)
          .options(optionsSet ? options : defaultOptions())
          .build();
    }

    /**
     * The AdmissionReview ({@code admission.k8s.io/v1}) carrying {@link #request()}.
     *
     * @throws IllegalStateException when the objects do not fit the operation or the kind cannot be
     *     told
     */
    public AdmissionReview build() {
      return AdmissionReview.of(request());
    }

    private void need(boolean ok, String what) {
      if (!ok) {
        throw new IllegalStateException("a " + operation + " request needs " + what);
      }
    }

    private JsonNode defaultOptions() {
      String optionsKind = operation.optionsKind();
      if (optionsKind == null) {
        return null;
      }
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("kind", optionsKind);
      o.put("apiVersion", "meta.k8s.io/v1");
      if (dryRun) {
        o.putArray("dryRun").add("All");
      }
      return o;
    }

    private static JsonNode tree(Object value, String what) {
      if (value == null || value instanceof JsonNode) {
        return (JsonNode) value;
      }
      if (value instanceof String text) {
        return Json.readTree(text.getBytes(StandardCharsets.UTF_8));
      }
      if (value instanceof byte[] bytes) {
        return Json.readTree(bytes);
      }
      try {
        return Json.tree(value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "the " + what + " cannot be converted to JSON: " + e.getMessage(), e);
      }
    }

    private static GroupVersionKind kindOf(JsonNode subject) {
      String apiVersion = text(subject, "apiVersion");
      String kind = text(subject, "kind");
      if (apiVersion == null || kind == null) {
        throw new IllegalStateException(
            "cannot tell the kind of the request: the object has no apiVersion and kind; add them"
                + " to the object or call kind(GroupVersionKind.of(group, version, kind))");
      }
      int slash = apiVersion.indexOf('/');
      return GroupVersionKind.of(
          slash < 0 ? "" : apiVersion.substring(0, slash),
          slash < 0 ? apiVersion : apiVersion.substring(slash + 1),
          kind);
    }

    private static String metadata(JsonNode subject, String field) {
      return subject == null ? null : text(subject.get("metadata"), field);
    }

    private static String text(JsonNode node, String field) {
      JsonNode v = node == null ? null : node.get(field);
      return v != null && v.isTextual() ? v.asText() : null;
    }
  }
}
