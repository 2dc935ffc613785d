package dev.k8swasm.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k8swasm.authn.UserInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestAttributesTest {

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "GET    | /api/v1/namespaces/default/configmaps          |            | get->list   | ''   | v1 | default | configmaps  | ''     | ''",
        "GET    | /api/v1/namespaces/default/configmaps          | watch=true | watch       | ''   | v1 | default | configmaps  | ''     | ''",
        "GET    | /api/v1/namespaces/default/configmaps/x        |            | get         | ''   | v1 | default | configmaps  | ''     | x",
        "HEAD   | /api/v1/namespaces/default/configmaps/x        |            | get         | ''   | v1 | default | configmaps  | ''     | x",
        "POST   | /api/v1/namespaces/default/configmaps          |            | create      | ''   | v1 | default | configmaps  | ''     | ''",
        "PUT    | /api/v1/namespaces/default/pods/web/status     |            | update      | ''   | v1 | default | pods        | status | web",
        "PATCH  | /apis/apps/v1/namespaces/shop/deployments/web  |            | patch       | apps | v1 | shop    | deployments | ''     | web",
        "DELETE | /apis/apps/v1/namespaces/shop/deployments/web  |            | delete      | apps | v1 | shop    | deployments | ''     | web",
        "DELETE | /apis/apps/v1/namespaces/shop/deployments      |            | deletecollection | apps | v1 | shop | deployments | ''  | ''",
        "GET    | /api/v1/nodes                                  |            | list        | ''   | v1 | ''      | nodes       | ''     | ''",
        "GET    | /api/v1/namespaces                             |            | list        | ''   | v1 | ''      | namespaces  | ''     | ''",
        "GET    | /api/v1/namespaces/shop                        |            | get         | ''   | v1 | shop    | namespaces  | ''     | shop",
        "GET    | /apis/rbac.authorization.k8s.io/v1/clusterroles/admin | | get    | rbac.authorization.k8s.io | v1 | '' | clusterroles | '' | admin",
      })
  void resourceRequests(
      String method,
      String path,
      String query,
      String verb,
      String group,
      String version,
      String namespace,
      String resource,
      String subresource,
      String name) {
    RequestAttributes a = RequestAttributes.of(method, path, query);
    assertThat(a.resourceRequest()).isTrue();
    assertThat(a.verb()).isEqualTo(verb.replace("get->", ""));
    assertThat(a.apiGroup()).isEqualTo(group);
    assertThat(a.version()).isEqualTo(version);
    assertThat(a.namespace()).isEqualTo(namespace);
    assertThat(a.resource()).isEqualTo(resource);
    assertThat(a.subresource()).isEqualTo(subresource);
    assertThat(a.name()).isEqualTo(name);
  }

  @ParameterizedTest
  @CsvSource({
    "GET, /healthz, get",
    "POST, /api, post",
    "GET, /apis/apps, get",
    "GET, /api/v1, get",
    "GET, /, get"
  })
  void nonResourceRequests(String method, String path, String verb) {
    RequestAttributes a = RequestAttributes.of(method, path, null);
    assertThat(a.resourceRequest()).isFalse();
    assertThat(a.verb()).isEqualTo(verb);
    assertThat(a.path()).isEqualTo(path);
  }

  @Test
  void theReviewCarriesTheUser() {
    UserInfo user = UserInfo.of("alice", "7", List.of("devs")).withExtra(Map.of("k", List.of("v")));
    SubjectAccessReview review =
        RequestAttributes.of("GET", "/api/v1/namespaces/shop/configmaps/x", null).reviewFor(user);
    assertThat(review.spec().user()).isEqualTo("alice");
    assertThat(review.spec().uid()).isEqualTo("7");
    assertThat(review.spec().groups()).containsExactly("devs");
    assertThat(review.spec().extra()).containsEntry("k", List.of("v"));
    assertThat(review.spec().resourceAttributes().name()).isEqualTo("x");
    assertThat(review.spec().nonResourceAttributes()).isNull();
    SubjectAccessReview health = RequestAttributes.of("GET", "/healthz", null).reviewFor(user);
    assertThat(health.spec().nonResourceAttributes().path()).isEqualTo("/healthz");
    assertThat(health.spec().resourceAttributes()).isNull();
  }

  @Test
  void forbiddenMessagesAreKubeApiServers() {
    assertThat(
            RequestAttributes.of("GET", "/api/v1/namespaces/shop/configmaps", null)
                .forbiddenMessage("bob", ""))
        .isEqualTo(
            "configmaps is forbidden: User \"bob\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"shop\"");
    assertThat(RequestAttributes.of("GET", "/api/v1/nodes/n1", null).forbiddenMessage("bob", "no"))
        .isEqualTo(
            "nodes \"n1\" is forbidden: User \"bob\" cannot get resource \"nodes\" in API group \"\" at the cluster scope: no");
    assertThat(
            RequestAttributes.of("PUT", "/api/v1/namespaces/a/pods/p/status", null)
                .forbiddenMessage("bob", null))
        .startsWith(
            "pods/status \"p\" is forbidden: User \"bob\" cannot update resource \"pods/status\"");
  }
}
