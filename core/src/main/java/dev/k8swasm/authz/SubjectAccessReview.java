package dev.k8swasm.authz;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.authn.UserInfo;
import dev.k8swasm.json.Copies;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Kubernetes {@code SubjectAccessReview} ({@code authorization.k8s.io/v1} or {@code v1beta1}).
 * Unknown fields are kept, so the document round-trips unchanged.
 *
 * <p>Build one with {@link #builder()}:
 *
 * <pre>{@code
 * SubjectAccessReview review = SubjectAccessReview.builder()
 *     .userInfo(user)          // or .user("alice").groups("developers").uid(..).extra(..)
 *     .resourceAttributes(ResourceAttributes.builder()
 *         .verb("list").resource("configmaps").namespace("shop").build())
 *     .build();               // or .nonResourceAttributes(NonResourceAttributes.of("get", "/healthz"))
 * }</pre>
 *
 * @param apiVersion {@code authorization.k8s.io/v1} or {@code authorization.k8s.io/v1beta1}
 * @param kind {@code SubjectAccessReview}
 * @param metadata object metadata, kept as received
 * @param spec the request to authorize
 * @param status the answer, absent in a request
 * @param additionalProperties fields this version of the library does not model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubjectAccessReview(
    String apiVersion,
    String kind,
    JsonNode metadata,
    SubjectAccessReviewSpec spec,
    SubjectAccessReviewStatus status,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> additionalProperties) {

  /** {@code authorization.k8s.io/v1}. */
  public static final String V1 = "authorization.k8s.io/v1";

  /** {@code authorization.k8s.io/v1beta1}. */
  public static final String V1BETA1 = "authorization.k8s.io/v1beta1";

  /** {@code SubjectAccessReview}. */
  public static final String KIND = "SubjectAccessReview";

  public SubjectAccessReview {
    additionalProperties = Copies.fields(additionalProperties);
  }

  /** A v1 request with the given spec. */
  public static SubjectAccessReview of(SubjectAccessReviewSpec spec) {
    return new SubjectAccessReview(V1, KIND, null, spec, null, null);
  }

  /** A builder for a request, {@code authorization.k8s.io/v1} unless told otherwise. */
  public static Builder builder() {
    return new Builder();
  }

  /** A copy with the given status. */
  public SubjectAccessReview withStatus(SubjectAccessReviewStatus status) {
    return new SubjectAccessReview(apiVersion, kind, metadata, spec, status, additionalProperties);
  }

  /** The same review in v1 form (the form modules receive). */
  public SubjectAccessReview toV1() {
    return new SubjectAccessReview(
        V1, kind, metadata, spec == null ? null : spec.toV1(), status, additionalProperties);
  }

  /**
   * Builds {@link SubjectAccessReview} requests. A request needs a user or groups (as
   * kube-apiserver validates it) and exactly one of resource and non-resource attributes. Not
   * thread-safe; {@link #build()} may be called again.
   */
  public static final class Builder {
    private String apiVersion = V1;
    private String user;
    private List<String> groups;
    private String uid;
    private Map<String, List<String>> extra;
    private ResourceAttributes resourceAttributes;
    private NonResourceAttributes nonResourceAttributes;

    private Builder() {}

    /**
     * {@link #V1} (the default) or {@link #V1BETA1}, which names the groups field {@code group}.
     *
     * @throws IllegalArgumentException for any other apiVersion
     */
    public Builder apiVersion(String apiVersion) {
      if (!V1.equals(apiVersion) && !V1BETA1.equals(apiVersion)) {
        throw new IllegalArgumentException(
            "apiVersion must be " + V1 + " or " + V1BETA1 + ", not '" + apiVersion + "'");
      }
      this.apiVersion = apiVersion;
      return this;
    }

    /** The user: name, uid, groups and extra, e.g. as authentication returned it. */
    public Builder userInfo(UserInfo user) {
      Objects.requireNonNull(user, "user");
      this.user = user.username();
      this.groups = user.groups();
      this.uid = user.uid();
      this.extra = user.extra();
      return this;
    }

    /** The user's name. */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /** The user's groups. */
    public Builder groups(String... groups) {
      return groups(List.of(groups));
    }

    /** The user's groups. */
    public Builder groups(List<String> groups) {
      this.groups = groups == null ? null : List.copyOf(groups);
      return this;
    }

    /** The user's uid. */
    public Builder uid(String uid) {
      this.uid = uid;
      return this;
    }

    /** Additional user attributes, multi-valued. */
    public Builder extra(Map<String, List<String>> extra) {
      this.extra = extra;
      return this;
    }

    /** What is asked about a resource (replaces non-resource attributes). */
    public Builder resourceAttributes(ResourceAttributes resourceAttributes) {
      this.resourceAttributes = Objects.requireNonNull(resourceAttributes, "resourceAttributes");
      this.nonResourceAttributes = null;
      return this;
    }

    /** What is asked about a non-resource path (replaces resource attributes). */
    public Builder nonResourceAttributes(NonResourceAttributes nonResourceAttributes) {
      this.nonResourceAttributes =
          Objects.requireNonNull(nonResourceAttributes, "nonResourceAttributes");
      this.resourceAttributes = null;
      return this;
    }

    /**
     * The review, with the groups in the field its apiVersion names them.
     *
     * @throws IllegalStateException without a user or groups, or without attributes
     */
    public SubjectAccessReview build() {
      boolean noGroups = groups == null || groups.isEmpty();
      if ((user == null || user.isEmpty()) && noGroups) {
        throw new IllegalStateException("a SubjectAccessReview needs a user(...) or groups(...)");
      }
      if (resourceAttributes == null && nonResourceAttributes == null) {
        throw new IllegalStateException(
            "a SubjectAccessReview needs resourceAttributes(...) or nonResourceAttributes(...)");
      }
      boolean v1 = V1.equals(apiVersion);
      List<String> g = noGroups ? null : groups;
      return new SubjectAccessReview(
          apiVersion,
          KIND,
          null,
          new SubjectAccessReviewSpec(
              resourceAttributes,
              nonResourceAttributes,
              user,
              v1 ? g : null,
              v1 ? null : g,
              extra,
              uid,
              null),
          null,
          null);
    }
  }
}
