package dev.k8swasm.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import dev.k8swasm.kubewarden.capabilities.CapabilityDispatcher;
import dev.k8swasm.kubewarden.capabilities.HostCapabilities;
import dev.k8swasm.kubewarden.capabilities.HostCapabilityAllowList;
import dev.k8swasm.kubewarden.capabilities.HostCapabilityException;
import dev.k8swasm.kubewarden.capabilities.KubernetesContext.GetResourceRequest;
import dev.k8swasm.kubewarden.capabilities.KubernetesContext.ListResourcesRequest;
import dev.k8swasm.kubewarden.metadata.ContextAwareResource;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ClusterContext} against fabric8's mock API server in CRUD mode (the stand-in for a real
 * kube-apiserver, which cannot be installed here), reached through a TCP proxy that tests cut.
 */
class ClusterContextTest {
  private static final ContextAwareResource INGRESS =
      new ContextAwareResource("networking.k8s.io/v1", "Ingress");

  private MockApiServer api;
  private KubernetesClient admin;
  private KubernetesClient client;
  private ClusterContext context;

  @BeforeEach
  void start() {
    api = new MockApiServer();
    admin = api.adminClient();
    client = api.client();
    context = ClusterContext.builder(client).maxStaleness(Duration.ZERO).build();
  }

  @AfterEach
  void stop() throws Exception {
    context.close();
    client.close();
    admin.close();
    api.close();
  }

  private void ingress(String namespace, String name, String host, Map<String, String> labels) {
    Ingress ingress =
        new IngressBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(labels)
            .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", "{\"big\":1}")
            .addNewManagedField()
            .withManager("kubectl")
            .endManagedField()
            .endMetadata()
            .withNewSpec()
            .addNewRule()
            .withHost(host)
            .endRule()
            .endSpec()
            .build();
    admin.network().v1().ingresses().inNamespace(namespace).resource(ingress).create();
  }

  private static ListResourcesRequest.Builder ingresses() {
    return ListResourcesRequest.builder("networking.k8s.io/v1", "Ingress");
  }

  private static List<String> names(List<JsonNode> objects) {
    return objects.stream()
        .map(
            o ->
                o.path("metadata").path("namespace").asText()
                    + "/"
                    + o.path("metadata").path("name").asText())
        .sorted()
        .toList();
  }

  /** Polls {@code condition} (an informer reacts asynchronously); fails after a generous bound. */
  private static void eventually(BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("condition not reached within 30 s");
  }

  @Test
  void informerStartsOnFirstUseSyncsAndServesListsAndGets() {
    ingress("shop", "web", "shop.example.com", Map.of("app", "web"));
    ingress("shop", "api", "api.example.com", Map.of("app", "api"));
    ingress("blog", "web", "blog.example.com", Map.of("app", "web"));

    assertThat(names(context.listResourcesAll(ingresses().build())))
        .containsExactly("blog/web", "shop/api", "shop/web");
    assertThat(names(context.listResourcesByNamespace(ingresses().namespace("shop").build())))
        .containsExactly("shop/api", "shop/web");
    JsonNode web =
        context
            .getResource(
                GetResourceRequest.builder("networking.k8s.io/v1", "Ingress", "web")
                    .namespace("blog")
                    .build())
            .orElseThrow();
    assertThat(web.path("apiVersion").asText()).isEqualTo("networking.k8s.io/v1");
    assertThat(web.path("kind").asText()).isEqualTo("Ingress");
    assertThat(web.at("/spec/rules/0/host").asText()).isEqualTo("blog.example.com");
    // what caches drop to save memory, as policy-server's reflectors do
    assertThat(web.at("/metadata/managedFields").isMissingNode()).isTrue();
    assertThat(web.at("/metadata/annotations").isMissingNode()).isTrue();
    assertThat(
            context.getResource(
                GetResourceRequest.builder("networking.k8s.io/v1", "Ingress", "nope")
                    .namespace("blog")
                    .build()))
        .isEmpty();
    assertThat(context.notReady()).isEmpty();
  }

  @Test
  void aWatchUpdateReachesTheNextEvaluation() throws Exception {
    ingress("shop", "web", "shop.example.com", Map.of("app", "web"));
    assertThat(names(context.listResourcesAll(ingresses().build()))).containsExactly("shop/web");

    ingress("shop", "new", "new.example.com", Map.of("app", "new"));
    eventually(() -> context.listResourcesAll(ingresses().build()).size() == 2);
    assertThat(names(context.listResourcesAll(ingresses().build())))
        .containsExactly("shop/new", "shop/web");

    admin.network().v1().ingresses().inNamespace("shop").withName("web").delete();
    eventually(() -> context.listResourcesAll(ingresses().build()).size() == 1);
    assertThat(names(context.listResourcesAll(ingresses().build()))).containsExactly("shop/new");
  }

  @Test
  void labelAndFieldSelectorsOnTheCache() {
    ingress("shop", "web", "a", Map.of("app", "web", "tier", "front"));
    ingress("shop", "api", "b", Map.of("app", "api"));
    ingress("blog", "web", "c", Map.of("app", "web", "tier", "back"));
    assertThat(names(context.listResourcesAll(ingresses().labelSelector("app=web").build())))
        .containsExactly("blog/web", "shop/web");
    assertThat(
            names(
                context.listResourcesAll(
                    ingresses().labelSelector("app==web,tier!=front").build())))
        .containsExactly("blog/web");
    assertThat(
            names(
                context.listResourcesAll(
                    ingresses().labelSelector("tier in (front, back)").build())))
        .containsExactly("blog/web", "shop/web");
    assertThat(
            names(
                context.listResourcesAll(ingresses().labelSelector("tier notin (front)").build())))
        .containsExactly("blog/web", "shop/api");
    assertThat(names(context.listResourcesAll(ingresses().labelSelector("!tier").build())))
        .containsExactly("shop/api");
    assertThat(names(context.listResourcesAll(ingresses().labelSelector("tier").build())))
        .containsExactly("blog/web", "shop/web");
    assertThat(
            names(context.listResourcesAll(ingresses().fieldSelector("metadata.name=web").build())))
        .containsExactly("blog/web", "shop/web");
    assertThat(
            names(
                context.listResourcesAll(
                    ingresses()
                        .fieldSelector("metadata.name==web,metadata.namespace!=shop")
                        .build())))
        .containsExactly("blog/web");
    assertThat(
            names(
                context.listResourcesByNamespace(
                    ingresses().namespace("shop").fieldSelector("metadata.name!=web").build())))
        .containsExactly("shop/api");
    assertThatThrownBy(
            () -> context.listResourcesAll(ingresses().labelSelector("app in web").build()))
        .isInstanceOf(HostCapabilityException.class)
        .hasMessageContaining("invalid label selector 'app in web'");
  }

  @Test
  void otherFieldSelectorsAndDisableCacheGoToTheApiServer() throws Exception {
    ingress("shop", "web", "a", Map.of("app", "web"));
    int created = api.server().getRequestCount();
    for (int i = 0; i < created; i++) {
      api.server().takeRequest(5, TimeUnit.SECONDS);
    }

    context.listResourcesByNamespace(
        ingresses()
            .namespace("shop")
            .labelSelector("app=web")
            .fieldSelector("spec.ingressClassName=nginx")
            .build());
    assertThat(api.server().takeRequest(5, TimeUnit.SECONDS).getPath())
        .startsWith("/apis/networking.k8s.io/v1/namespaces/shop/ingresses?")
        .contains("fieldSelector=spec.ingressClassName%3Dnginx")
        .contains("labelSelector=app%3Dweb");

    JsonNode fresh =
        context
            .getResource(
                GetResourceRequest.builder("networking.k8s.io/v1", "Ingress", "web")
                    .namespace("shop")
                    .disableCache(true)
                    .build())
            .orElseThrow();
    assertThat(fresh.at("/spec/rules/0/host").asText()).isEqualTo("a");
    assertThat(api.server().takeRequest(5, TimeUnit.SECONDS).getPath())
        .isEqualTo("/apis/networking.k8s.io/v1/namespaces/shop/ingresses/web");
    // neither started an informer
    assertThat(api.server().takeRequest(200, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void clusterScopedKindsAndNamespaceLabels() {
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("shop")
                .addToLabels("team", "a")
                .endMetadata()
                .build())
        .create();
    var labels = context.namespaceLabels();
    assertThat(labels.labels("shop")).contains(Map.of("team", "a"));
    assertThat(labels.labels("missing")).isEmpty();
    assertThatThrownBy(
            () ->
                context.listResourcesByNamespace(
                    ListResourcesRequest.builder("v1", "Namespace").namespace("shop").build()))
        .isInstanceOf(HostCapabilityException.class)
        .hasMessage(
            "resource v1/Namespace is cluster wide: it cannot be listed inside a namespace");
    assertThatThrownBy(
            () -> context.getResource(GetResourceRequest.builder("v1", "ConfigMap", "x").build()))
        .isInstanceOf(HostCapabilityException.class)
        .hasMessage("v1/ConfigMap is namespaced: get_resource needs the namespace of 'x'");
  }

  @Test
  void unknownKindsAreAClearError() {
    assertThatThrownBy(
            () -> context.listResourcesAll(ListResourcesRequest.builder("v1", "Ingress").build()))
        .isInstanceOf(HostCapabilityException.class)
        .hasMessageStartingWith(
            "unknown Kubernetes kind v1/Ingress: the API server does not serve kind 'Ingress' in 'v1'");
  }

  @Test
  void rbacRefusalsAreSurfacedWithWhatToGrant() {
    api.server()
        .expect()
        .get()
        .withPath("/api/v1/configmaps?limit=500")
        .andReturn(
            403,
            new StatusBuilder()
                .withStatus("Failure")
                .withReason("Forbidden")
                .withCode(403)
                .withMessage(
                    "configmaps is forbidden: User \"system:serviceaccount:k8s-wasm:k8s-wasm\" cannot list resource \"configmaps\" in API group \"\" at the cluster scope")
                .build())
        .always();
    assertThatThrownBy(
            () -> context.listResourcesAll(ListResourcesRequest.builder("v1", "ConfigMap").build()))
        .isInstanceOf(HostCapabilityException.class)
        .hasMessageStartingWith(
            "the Kubernetes API server refused to list v1/ConfigMap (403 Forbidden): grant get, list and watch on configmaps")
        .hasMessageNotContaining("\n");
  }

  @Test
  void apiServerDownIsAnErrorForThePolicyAndReadinessRecovers() throws Exception {
    admin
        .configMaps()
        .inNamespace("a")
        .resource(new ConfigMapBuilder().withNewMetadata().withName("x").endMetadata().build())
        .create();
    ListResourcesRequest all = ListResourcesRequest.builder("v1", "ConfigMap").build();
    context.watch(List.of(new ContextAwareResource("v1", "ConfigMap")));
    eventually(() -> context.notReady().isEmpty());
    assertThat(context.listResourcesAll(all)).hasSize(1);

    api.proxy().down();
    eventually(() -> context.notReady().isPresent());
    // whichever notices first: the lost watch or the probe of the API server
    assertThat(context.notReady().orElseThrow())
        .satisfiesAnyOf(
            r -> assertThat(r).startsWith("v1/ConfigMap: watch lost, reconnecting"),
            r -> assertThat(r).startsWith("cannot reach the Kubernetes API server ("));
    // again whichever noticed first: the lost watch, or the probe of the API server
    assertThatThrownBy(() -> context.listResourcesAll(all))
        .isInstanceOf(HostCapabilityException.class)
        .hasMessageNotContaining("\n")
        .satisfiesAnyOf(
            e ->
                assertThat(e)
                    .hasMessageStartingWith(
                        "cannot reach the Kubernetes API server: the cache of v1/ConfigMap has"
                            + " had no watch for"),
            e ->
                assertThat(e)
                    .hasMessageStartingWith(
                        "cannot reach the Kubernetes API server: the cache of v1/ConfigMap may be"
                            + " stale ("));

    api.proxy().up();
    eventually(() -> context.notReady().isEmpty());
    admin
        .configMaps()
        .inNamespace("a")
        .resource(new ConfigMapBuilder().withNewMetadata().withName("y").endMetadata().build())
        .create();
    eventually(() -> context.listResourcesAll(all).size() == 2);
  }

  @Test
  void thePolicysHostCallsGetFieldMaskedObjectsAndOneLineErrors() throws Exception {
    ingress("shop", "web", "shop.example.com", Map.of("app", "web"));
    CapabilityDispatcher d =
        new CapabilityDispatcher(
            "unique-ingress-host",
            HostCapabilityAllowList.of(List.of("kubernetes/*")),
            Set.of(INGRESS),
            HostCapabilities.builder().kubernetes(context).build());
    byte[] list =
        d.call(
            "kubewarden",
            "kubernetes",
            "list_resources_all",
            ("{\"api_version\":\"networking.k8s.io/v1\",\"kind\":\"Ingress\","
                    + "\"field_masks\":[\"metadata.name\",\"spec.rules.host\"]}")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(Json.readTree(list))
        .isEqualTo(
            Json.readTree(
                ("{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"IngressList\",\"metadata\":{},"
                        + "\"items\":[{\"metadata\":{\"name\":\"web\"},\"spec\":{\"rules\":[{\"host\":\"shop.example.com\"}]}}]}")
                    .getBytes(StandardCharsets.UTF_8)));

    api.proxy().down();
    eventually(() -> context.notReady().isPresent());
    assertThatThrownBy(
            () ->
                d.call(
                    "kubewarden",
                    "kubernetes",
                    "list_resources_all",
                    "{\"api_version\":\"networking.k8s.io/v1\",\"kind\":\"Ingress\"}"
                        .getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(HostCapabilityException.class)
        .hasMessageStartingWith(
            "Callback evaluation failure: cannot reach the Kubernetes API server: the cache of"
                + " networking.k8s.io/v1/Ingress")
        .hasMessageNotContaining("\n");
  }

  @Test
  void apiServerUnreachableFromTheStartFailsTheCallAndTheNextCallRetries() throws Exception {
    api.proxy().down();
    ListResourcesRequest all = ListResourcesRequest.builder("v1", "ConfigMap").build();
    assertThatThrownBy(() -> context.listResourcesAll(all))
        .isInstanceOf(HostCapabilityException.class)
        .hasMessageStartingWith("cannot reach the Kubernetes API server to list v1/ConfigMap")
        .hasMessageNotContaining("\n");
    api.proxy().up();
    assertThat(context.listResourcesAll(all)).isEmpty();
  }
}
