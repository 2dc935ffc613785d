package dev.k8swasm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k8swasm.cluster.ClusterAuthorizer;
import dev.k8swasm.cluster.ClusterContext;
import dev.k8swasm.cluster.MockApiServer;
import dev.k8swasm.json.Json;
import dev.k8swasm.kubewarden.capabilities.HostCapabilities;
import dev.k8swasm.kubewarden.capabilities.KubernetesContext.ListResourcesRequest;
import dev.k8swasm.module.ModuleSpec;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What {@code serve} gives a configured module when it runs with a cluster: the cluster's host
 * capabilities, and the caches of its {@code contextAwareResources} started before any request.
 */
class ClusterCapabilitiesTest {

  @Test
  void aModuleGetsTheClusterAndItsDeclaredResourcesAreLoadedUpFront() throws Exception {
    try (MockApiServer api = new MockApiServer();
        KubernetesClient admin = api.adminClient();
        ClusterContext context = ClusterContext.builder(api.client()).closeClient(true).build()) {
      admin
          .network()
          .v1()
          .ingresses()
          .inNamespace("shop")
          .resource(new IngressBuilder().withNewMetadata().withName("web").endMetadata().build())
          .create();
      ClusterAuthorizer authorizer = ClusterAuthorizer.builder(context.client()).build();
      ModuleSpec.Builder b =
          ModuleSpec.builder("unique-host")
              .path(Path.of(Cli.module("kubewarden/policy_wasi.wasm")))
              .option(
                  "contextAwareResources",
                  Json.readTree(
                      "[{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"Ingress\"}]"
                          .getBytes(StandardCharsets.UTF_8)));

      int before = api.server().getRequestCount();
      ModuleSpec spec = ClusterCapabilities.apply(b, context, authorizer).build();

      HostCapabilities host = spec.extension(HostCapabilities.class).orElseThrow();
      assertThat(host.kubernetes()).containsSame(context);
      assertThat(host.authorizer()).containsSame(authorizer);
      // apply() started the Ingress cache before any policy asked: it lists on its own
      for (int i = 0; i < 600 && api.server().getRequestCount() == before; i++) {
        Thread.sleep(50);
      }
      assertThat(api.server().getRequestCount()).isGreaterThan(before);
      for (int i = 0; i < 600 && context.notReady().isPresent(); i++) {
        Thread.sleep(50);
      }
      assertThat(context.notReady()).isEmpty();
      assertThat(
              context.listResourcesAll(
                  ListResourcesRequest.builder("networking.k8s.io/v1", "Ingress").build()))
          .hasSize(1);
    }
  }
}
