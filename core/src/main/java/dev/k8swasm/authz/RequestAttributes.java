package dev.k8swasm.authz;

import dev.k8swasm.authn.UserInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What an HTTP request asks of a Kubernetes-style API, worked out from its method and path the way
 * kube-apiserver does it (its {@code RequestInfoFactory}):
 *
 * <ul>
 *   <li>{@code /api/v1/namespaces/{ns}/{resource}/{name}/{subresource}} and {@code
 *       /apis/{group}/{version}/...}: a resource request; {@code /api/v1/{resource}} is
 *       cluster-scoped (or all namespaces);
 *   <li>anything else ({@code /healthz}, {@code /version}, {@code /api}, {@code /apis/apps}): a
 *       non-resource request for the path;
 *   <li>the verb: {@code GET}/{@code HEAD} = {@code get} with a name, {@code list} without, {@code
 *       watch} with {@code ?watch=true}; {@code POST} = {@code create}; {@code PUT} = {@code
 *       update}; {@code PATCH} = {@code patch}; {@code DELETE} = {@code delete} with a name, {@code
 *       deletecollection} without. For non-resource requests the verb is the lower-case method.
 * </ul>
 *
 * For an API server of its own, the authorization step of every request is:
 *
 * <pre>{@code
 * RequestAttributes attributes = RequestAttributes.of(method, path, query);
 * AuthorizationDecision decision = authorizer.authorize(attributes.reviewFor(user));
 * if (!decision.allowed()) {
 *   // answer 403 with attributes.forbiddenMessage(user.username(), decision.reason())
 * }
 * }</pre>
 *
 * @param resourceRequest whether it is about a resource (else a non-resource path)
 * @param verb the Kubernetes verb
 * @param path the URL path
 * @param apiGroup the API group ({@code ""} for the core group)
 * @param version the API version
 * @param namespace the namespace, {@code ""} when none
 * @param resource the resource, e.g. {@code configmaps}
 * @param subresource the subresource, {@code ""} when none
 * @param name the object's name, {@code ""} for collections
 */
public record RequestAttributes(
    boolean resourceRequest,
    String verb,
    String path,
    String apiGroup,
    String version,
    String namespace,
    String resource,
    String subresource,
    String name) {

  /**
   * Works out the attributes of {@code method path?query}.
   *
   * @param method the HTTP method, e.g. {@code GET}
   * @param path the URL path, not decoded further
   * @param query the raw query string, or null
   */
  public static RequestAttributes of(String method, String path, String query) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    List<String> parts = new ArrayList<>(Arrays.asList(path.split("/")));
    parts.removeIf(String::isEmpty);
    String group;
    String version;
    List<String> rest;
    if (parts.size() >= 2 && parts.get(0).equals("api")) {
      group = "";
      version = parts.get(1);
      rest = parts.subList(2, parts.size());
    } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      version = parts.get(2);
      rest = parts.subList(3, parts.size());
    } else {
      return nonResource(method, path);
    }
    if (rest.isEmpty()) {
      return nonResource(method, path); // discovery: /api/v1, /apis/apps/v1
    }
    String namespace = "";
    if (rest.get(0).equals("namespaces") && rest.size() >= 2) {
      namespace = rest.get(1);
      // /api/v1/namespaces/{ns} is the namespace object itself
      rest = rest.size() == 2 ? List.of("namespaces", namespace) : rest.subList(2, rest.size());
    }
    String resource = rest.get(0);
    String name = rest.size() >= 2 ? rest.get(1) : "";
    String subresource = rest.size() >= 3 ? rest.get(2) : "";
    String verb =
        switch (method.toUpperCase(Locale.ROOT)) {
          case "GET", "HEAD" -> !name.isEmpty() ? "get" : watch(query) ? "watch" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
          default -> method.toLowerCase(Locale.ROOT);
        };
    return new RequestAttributes(
        true, verb, path, group, version, namespace, resource, subresource, name);
  }

  private static RequestAttributes nonResource(String method, String path) {
    return new RequestAttributes(
        false, method.toLowerCase(Locale.ROOT), path, "", "", "", "", "", "");
  }

  private static boolean watch(String query) {
    if (query == null) {
      return false;
    }
    for (String pair : query.split("&")) {
      if (pair.equals("watch=true") || pair.equals("watch=1")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The SubjectAccessReview ({@code authorization.k8s.io/v1}) asking whether {@code user} may make
   * this request.
   */
  public SubjectAccessReview reviewFor(UserInfo user) {
    SubjectAccessReview.Builder review = SubjectAccessReview.builder().userInfo(user);
    if (resourceRequest) {
      review.resourceAttributes(
          new ResourceAttributes(
              namespace, verb, apiGroup, version, resource, subresource, name, null, null, null));
    } else {
      review.nonResourceAttributes(NonResourceAttributes.of(verb, path));
    }
    return review.build();
  }

  /**
   * kube-apiserver's message for a refused request, e.g. {@code configmaps "x" is forbidden: User
   * "alice" cannot get resource "configmaps" in API group "" in the namespace "default"}.
   */
  public String forbiddenMessage(String username, String reason) {
    String message;
    if (!resourceRequest) {
      message = "forbidden: User \"" + username + "\" cannot " + verb + " path \"" + path + "\"";
    } else {
      String what = subresource.isEmpty() ? resource : resource + "/" + subresource;
      message =
          what
              + (name.isEmpty() ? "" : " \"" + name + "\"")
              + " is forbidden: User \""
              + username
              + "\" cannot "
              + verb
              + " resource \""
              + what
              + "\" in API group \""
              + apiGroup
              + "\""
              + (namespace.isEmpty()
                  ? " at the cluster scope"
                  : " in the namespace \"" + namespace + "\"");
    }
    return reason == null || reason.isEmpty() ? message : message + ": " + reason;
  }
}
