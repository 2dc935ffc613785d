package dev.k8swasm.testing;

import dev.k8swasm.authz.NonResourceAttributes;
import dev.k8swasm.authz.ResourceAttributes;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.authz.SubjectAccessReviewSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds SubjectAccessReview requests, the way kube-apiserver sends them to an authorization
 * webhook.
 *
 * <pre>{@code
 * SubjectAccessReview review = SubjectAccessReviews.user("alice").groups("devs")
 *     .verb("list").resource("configmaps").namespace("default").build();
 * SubjectAccessReview health = SubjectAccessReviews.user("alice").verb("get")
 *     .nonResourcePath("/healthz").build();
 * }</pre>
 *
 * The verb defaults to {@code get}; the API group of a resource to the core group ({@code ""}).
 */
public final class SubjectAccessReviews {
  private SubjectAccessReviews() {}

  /** A review of what user {@code username} may do. */
  public static Builder user(String username) {
    return new Builder(Objects.requireNonNull(username, "username"));
  }

  /** Builds a {@link SubjectAccessReview}. */
  public static final class Builder {
    private final String user;
    private final List<String> groups = new ArrayList<>();
    private final Map<String, List<String>> extra = new LinkedHashMap<>();
    private String uid;
    private String verb = "get";
    private String apiGroup = "";
    private String version;
    private String resource;
    private String subresource;
    private String namespace;
    private String name;
    private String path;
    private String apiVersion = SubjectAccessReview.V1;

    private Builder(String user) {
      this.user = user;
    }

    /** The user's groups. */
    public Builder groups(String... groups) {
      this.groups.addAll(List.of(groups));
      return this;
    }

    /** The user's uid. */
    public Builder uid(String uid) {
      this.uid = uid;
      return this;
    }

    /** An extra attribute of the user. */
    public Builder extra(String key, String... values) {
      extra.put(key, List.of(values));
      return this;
    }

    /** The verb: {@code get}, {@code list}, {@code watch}, {@code create}, ... (default get). */
    public Builder verb(String verb) {
      this.verb = Objects.requireNonNull(verb, "verb");
      return this;
    }

    /** The resource, e.g. {@code configmaps}. */
    public Builder resource(String resource) {
      this.resource = resource;
      return this;
    }

    /** The API group of the resource, e.g. {@code apps} (default: the core group). */
    public Builder apiGroup(String apiGroup) {
      this.apiGroup = Objects.requireNonNull(apiGroup, "apiGroup");
      return this;
    }

    /** The API version of the resource, e.g. {@code v1}. */
    public Builder version(String version) {
      this.version = version;
      return this;
    }

    /** The subresource, e.g. {@code status}. */
    public Builder subresource(String subresource) {
      this.subresource = subresource;
      return this;
    }

    /** The namespace (default: none, i.e. cluster-wide or all namespaces). */
    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    /** The object's name (default: none, i.e. the collection). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Makes it a non-resource request for this URL path, e.g. {@code /healthz}. */
    public Builder nonResourcePath(String path) {
      this.path = Objects.requireNonNull(path, "path");
      return this;
    }

    /** Sends {@code authorization.k8s.io/v1beta1} (groups in {@code spec.group}) instead. */
    public Builder v1beta1() {
      this.apiVersion = SubjectAccessReview.V1BETA1;
      return this;
    }

    /** The SubjectAccessReview. */
    public SubjectAccessReview build() {
      if (path != null && resource != null) {
        throw new IllegalStateException(
            "a SubjectAccessReview is about a resource or a non-resource path, not both (got"
                + " resource '"
                + resource
                + "' and path '"
                + path
                + "')");
      }
      ResourceAttributes resourceAttributes = null;
      NonResourceAttributes nonResourceAttributes = null;
      if (path != null) {
        nonResourceAttributes = new NonResourceAttributes(path, verb, null);
      } else {
        resourceAttributes =
            new ResourceAttributes(
                namespace, verb, apiGroup, version, resource, subresource, name, null, null, null);
      }
      boolean v1 = SubjectAccessReview.V1.equals(apiVersion);
      List<String> userGroups = groups.isEmpty() ? null : List.copyOf(groups);
      SubjectAccessReviewSpec spec =
          new SubjectAccessReviewSpec(
              resourceAttributes,
              nonResourceAttributes,
              user,
              v1 ? userGroups : null,
              v1 ? null : userGroups,
              extra.isEmpty() ? null : extra,
              uid,
              null);
      return new SubjectAccessReview(apiVersion, SubjectAccessReview.KIND, null, spec, null, null);
    }
  }
}
