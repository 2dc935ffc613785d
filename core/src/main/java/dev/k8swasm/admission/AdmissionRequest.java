package dev.k8swasm.admission;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.authn.UserInfo;
import dev.k8swasm.json.Copies;
import java.util.Map;

/**
 * The request of an {@code admission.k8s.io/v1 AdmissionReview}. Unknown fields are kept.
 *
 * <p>{@code object}, {@code oldObject} and {@code options} are JSON trees; treat them as read-only.
 *
 * @param uid identifies this admission call; the response must echo it
 * @param kind the kind of the object
 * @param resource the resource being requested
 * @param subResource the subresource, e.g. {@code status}
 * @param requestKind the kind originally requested (may differ after conversion)
 * @param requestResource the resource originally requested
 * @param requestSubResource the subresource originally requested
 * @param name the object's name (may be empty on CREATE with generateName)
 * @param namespace the namespace, empty for cluster-scoped objects
 * @param operation {@code CREATE}, {@code UPDATE}, {@code DELETE} or {@code CONNECT}
 * @param userInfo who makes the request
 * @param object the new object (absent for DELETE)
 * @param oldObject the existing object (UPDATE and DELETE)
 * @param dryRun the request will not be persisted
 * @param options the operation's options, e.g. {@code CreateOptions}
 * @param additionalProperties fields this version of the library does not model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdmissionRequest(
    String uid,
    GroupVersionKind kind,
    GroupVersionResource resource,
    String subResource,
    GroupVersionKind requestKind,
    GroupVersionResource requestResource,
    String requestSubResource,
    String name,
    String namespace,
    String operation,
    UserInfo userInfo,
    JsonNode object,
    JsonNode oldObject,
    Boolean dryRun,
    JsonNode options,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> additionalProperties) {

  public AdmissionRequest {
    additionalProperties = Copies.fields(additionalProperties);
  }

  /** A builder for a new request. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this request's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.uid = uid;
    b.kind = kind;
    b.resource = resource;
    b.subResource = subResource;
    b.requestKind = requestKind;
    b.requestResource = requestResource;
    b.requestSubResource = requestSubResource;
    b.name = name;
    b.namespace = namespace;
    b.operation = operation;
    b.userInfo = userInfo;
    b.object = object;
    b.oldObject = oldObject;
    b.dryRun = dryRun;
    b.options = options;
    b.additionalProperties = additionalProperties;
    return b;
  }

  /** A copy with another uid. */
  public AdmissionRequest withUid(String uid) {
    return toBuilder().uid(uid).build();
  }

  /** A copy with another object. */
  public AdmissionRequest withObject(JsonNode object) {
    return toBuilder().object(object).build();
  }

  /** {@code dryRun}, with absent read as false. */
  public boolean dryRunOrFalse() {
    return Boolean.TRUE.equals(dryRun);
  }

  /** Builds {@link AdmissionRequest}s. */
  public static final class Builder {
    private String uid;
    private GroupVersionKind kind;
    private GroupVersionResource resource;
    private String subResource;
    private GroupVersionKind requestKind;
    private GroupVersionResource requestResource;
    private String requestSubResource;
    private String name;
    private String namespace;
    private String operation;
    private UserInfo userInfo;
    private JsonNode object;
    private JsonNode oldObject;
    private Boolean dryRun;
    private JsonNode options;
    private Map<String, JsonNode> additionalProperties;

    private Builder() {}

    public Builder uid(String uid) {
      this.uid = uid;
      return this;
    }

    public Builder kind(GroupVersionKind kind) {
      this.kind = kind;
      return this;
    }

    public Builder resource(GroupVersionResource resource) {
      this.resource = resource;
      return this;
    }

    public Builder subResource(String subResource) {
      this.subResource = subResource;
      return this;
    }

    public Builder requestKind(GroupVersionKind requestKind) {
      this.requestKind = requestKind;
      return this;
    }

    public Builder requestResource(GroupVersionResource requestResource) {
      this.requestResource = requestResource;
      return this;
    }

    public Builder requestSubResource(String requestSubResource) {
      this.requestSubResource = requestSubResource;
      return this;
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    public Builder operation(String operation) {
      this.operation = operation;
      return this;
    }

    public Builder userInfo(UserInfo userInfo) {
      this.userInfo = userInfo;
      return this;
    }

    public Builder object(JsonNode object) {
      this.object = object;
      return this;
    }

    public Builder oldObject(JsonNode oldObject) {
      this.oldObject = oldObject;
      return this;
    }

    public Builder dryRun(Boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    public Builder options(JsonNode options) {
      this.options = options;
      return this;
    }

    public Builder additionalProperties(Map<String, JsonNode> additionalProperties) {
      this.additionalProperties = additionalProperties;
      return this;
    }

    public AdmissionRequest build() {
      return new AdmissionRequest(
          uid,
          kind,
          resource,
          subResource,
          requestKind,
          requestResource,
          requestSubResource,
          name,
          namespace,
          operation,
          userInfo,
          object,
          oldObject,
          dryRun,
          options,
          additionalProperties);
    }
  }
}
