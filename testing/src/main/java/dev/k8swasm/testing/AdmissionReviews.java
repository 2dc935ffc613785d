package dev.k8swasm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.admission.AdmissionRequest;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.admission.GroupVersionKind;
import dev.k8swasm.admission.GroupVersionResource;
import dev.k8swasm.authn.UserInfo;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * Builds AdmissionReview requests from a Kubernetes object, the way kube-apiserver sends them to an
 * admission webhook.
 *
 * <p>The object may be YAML or JSON text, a {@link java.util.Map}, a {@link JsonNode}, a fabric8
 * model object or a {@link java.nio.file.Path} to a file. From its {@code apiVersion} and {@code
 * kind} come the request's {@code kind} (group, version, kind) and {@code resource} (the lower-case
 * plural of the kind: {@code Pod -> pods}, {@code NetworkPolicy -> networkpolicies}; override it
 * with {@link Builder#resource(String)}), from its {@code metadata} the {@code name} and {@code
 * namespace}.
 *
 * <pre>{@code
 * AdmissionReview review = AdmissionReviews.create("""
 *         apiVersion: v1
 *         kind: ConfigMap
 *         metadata: {name: settings, namespace: shop}
 *         data: {colour: blue}
 *         """)
 *     .user("alice").groups("developers")
 *     .dryRun(true)
 *     .build();
 * }</pre>
 *
 * Defaults: a random {@code uid}; user {@code test-user} in group {@code system:authenticated};
 * {@code options} as kube-apiserver sends them ({@code CreateOptions}, {@code UpdateOptions},
 * {@code DeleteOptions}, with {@code dryRun: [All]} on a dry run).
 */
public final class AdmissionReviews {
  private AdmissionReviews() {}

  /** A CREATE of {@code object}. */
  public static Builder create(Object object) {
    return new Builder("CREATE").object(object);
  }

  /** An UPDATE from {@code oldObject} to {@code object}. */
  public static Builder update(Object object, Object oldObject) {
    return new Builder("UPDATE").object(object).oldObject(oldObject);
  }

  /** A DELETE of {@code oldObject} (kube-apiserver sends no {@code object} on DELETE). */
  public static Builder delete(Object oldObject) {
    return new Builder("DELETE").oldObject(oldObject);
  }

  /**
   * A request with the given operation ({@code CREATE}, {@code UPDATE}, {@code DELETE}, {@code
   * CONNECT}); set the object(s) on the builder.
   */
  public static Builder of(String operation) {
    return new Builder(operation.toUpperCase(Locale.ROOT));
  }

  /** Builds an {@link AdmissionReview}. */
  public static final class Builder {
    private final String operation;
    private JsonNode object;
    private JsonNode oldObject;
    private String uid;
    private String namespace;
    private String name;
    private GroupVersionKind kind;
    private GroupVersionResource resource;
    private String resourceName;
    private String subResource;
    private UserInfo userInfo;
    private String username = "test-user";
    private List<String> groups = List.of("system:authenticated");
    private Boolean dryRun;
    private JsonNode options;
    private boolean optionsSet;

    private Builder(String operation) {
      this.operation = Objects.requireNonNull(operation, "operation");
    }

    /** The object being admitted (absent on DELETE). */
    public Builder object(Object object) {
      this.object = Trees.of(object);
      return this;
    }

    /** The existing object (UPDATE and DELETE). */
    public Builder oldObject(Object oldObject) {
      this.oldObject = Trees.of(oldObject);
      return this;
    }

    /** The request uid (default: random). */
    public Builder uid(String uid) {
      this.uid = uid;
      return this;
    }

    /** The namespace (default: the object's {@code metadata.namespace}). */
    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    /** The name (default: the object's {@code metadata.name}). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The resource name, when the guessed plural of the kind is not right. */
    public Builder resource(String resource) {
      this.resourceName = Objects.requireNonNull(resource, "resource");
      return this;
    }

    /** The whole resource (group, version, resource). */
    public Builder resource(String group, String version, String resource) {
      this.resource = GroupVersionResource.of(group, version, resource);
      return this;
    }

    /** The kind, when the object has no {@code apiVersion} and {@code kind} (or there is none). */
    public Builder kind(String group, String version, String kind) {
      this.kind = GroupVersionKind.of(group, version, kind);
      return this;
    }

    /** The subresource, e.g. {@code status} or {@code scale}. */
    public Builder subResource(String subResource) {
      this.subResource = subResource;
      return this;
    }

    /** The requesting user's name (default {@code test-user}). */
    public Builder user(String username) {
      this.username = Objects.requireNonNull(username, "username");
      this.userInfo = null;
      return this;
    }

    /** The requesting user's groups (default {@code system:authenticated}). */
    public Builder groups(String... groups) {
      this.groups = List.of(groups);
      this.userInfo = null;
      return this;
    }

    /** The requesting user, complete. */
    public Builder userInfo(UserInfo userInfo) {
      this.userInfo = Objects.requireNonNull(userInfo, "userInfo");
      return this;
    }

    /** Marks the request as a dry run. */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    /** The operation's options (default: as kube-apiserver sends them; null for none). */
    public Builder options(Object options) {
      this.options = Trees.of(options);
      this.optionsSet = true;
      return this;
    }

    /** The AdmissionRequest alone. */
    public AdmissionRequest request() {
      JsonNode subject = object != null && !object.isNull() ? object : oldObject;
      GroupVersionKind gvk = kind != null ? kind : kindOf(subject);
      GroupVersionResource gvr = resource;
      if (gvr == null) {
        gvr =
            resourceName != null
                ? GroupVersionResource.of(gvk.group(), gvk.version(), resourceName)
                : GroupVersionResource.forKind(gvk);
      }
      JsonNode metadata = subject == null ? null : subject.path("metadata");
      String n = name != null ? name : text(metadata, "name");
      String ns = namespace != null ? namespace : text(metadata, "namespace");
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
          .operation(operation)
          .userInfo(userInfo != null ? userInfo : UserInfo.of(username, null, groups))
          .object(object)
          .oldObject(oldObject)
          .dryRun(dryRun == null ? Boolean.FALSE : dryRun)
          .options(optionsSet ? options : defaultOptions())
          .build();
    }

    /** The AdmissionReview. */
    public AdmissionReview build() {
      return AdmissionReview.of(request());
    }

    private JsonNode defaultOptions() {
      String kindName =
          switch (operation) {
            case "CREATE" -> "CreateOptions";
            case "UPDATE" -> "UpdateOptions";
            case "DELETE" -> "DeleteOptions";
            default -> null;
          };
      if (kindName == null) {
        return null;
      }
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("kind", kindName);
      o.put("apiVersion", "meta.k8s.io/v1");
      if (Boolean.TRUE.equals(dryRun)) {
        o.putArray("dryRun").add("All");
      }
      return o;
    }

    private static GroupVersionKind kindOf(JsonNode subject) {
      String apiVersion = subject == null ? null : text(subject, "apiVersion");
      String kind = subject == null ? null : text(subject, "kind");
      if (apiVersion == null || kind == null) {
        throw new IllegalStateException(
            "cannot tell the kind of the request: the object has no apiVersion and kind; add them"
                + " to the object or call .kind(group, version, kind)");
      }
      int slash = apiVersion.indexOf('/');
      String group = slash < 0 ? "" : apiVersion.substring(0, slash);
      String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
      return GroupVersionKind.of(group, version, kind);
    }

    private static String text(JsonNode node, String field) {
      if (node == null) {
        return null;
      }
      JsonNode v = node.get(field);
      return v != null && v.isTextual() ? v.asText() : null;
    }
  }
}
