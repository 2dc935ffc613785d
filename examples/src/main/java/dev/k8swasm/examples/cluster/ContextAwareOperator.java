package dev.k8swasm.examples.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.k8swasm.admission.AdmissionController;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.admission.ModuleAdmissionController;
import dev.k8swasm.cluster.ClusterAuthorizer;
import dev.k8swasm.cluster.ClusterContext;
import dev.k8swasm.kubewarden.capabilities.HostCapabilities;
import dev.k8swasm.kubewarden.metadata.ContextAwareResource;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleSpec;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Path;

/**
 * An operator that runs a context-aware Kubewarden policy with its own fabric8 client: the policy's
 * {@code kubernetes/get_resource} and {@code list_resources_*} calls are answered from the
 * operator's own Namespace informer (no second watch on the API server) and, for any other kind it
 * declares, from caches k8s-wasm starts on the same client; {@code kubernetes/can_i} becomes a
 * SubjectAccessReview made with the operator's credentials.
 *
 * <pre>{@code
 * KubernetesClient client = new KubernetesClientBuilder().build();
 * SharedIndexInformer<Namespace> namespaces = client.namespaces().inform();
 * try (ContextAwareOperator operator =
 *     ContextAwareOperator.start(client, namespaces, Path.of("policy.wasm"), settings)) {
 *   AdmissionReview answered = operator.admission().admit(review);
 * }
 * }</pre>
 */
public final class ContextAwareOperator implements AutoCloseable {
  private static final ContextAwareResource NAMESPACES =
      new ContextAwareResource("v1", "Namespace");

  private final ClusterContext cluster;
  private final ModuleAdmissionController admission;

  private ContextAwareOperator(ClusterContext cluster, ModuleAdmissionController admission) {
    this.cluster = cluster;
    this.admission = admission;
  }

  /**
   * Loads the Kubewarden policy at {@code policy} with {@code settings}, granted the {@code
   * kubernetes/*} capabilities for Namespaces, answered through {@code client} and the operator's
   * {@code namespaces} informer.
   */
  public static ContextAwareOperator start(
      KubernetesClient client,
      SharedIndexInformer<Namespace> namespaces,
      Path policy,
      JsonNode settings) {
    // docs:start cluster
    ClusterContext cluster =
        ClusterContext.builder(client) // the operator's client; not closed by k8s-wasm
            .indexer(NAMESPACES, namespaces.getIndexer()) // the operator's own cache
            .build();
    HostCapabilities host =
        HostCapabilities.builder()
            .kubernetes(cluster)
            .authorizer(ClusterAuthorizer.builder(client).build())
            .build();
    ArrayNode granted = JsonNodeFactory.instance.arrayNode().add("kubernetes/*");
    ArrayNode resources = JsonNodeFactory.instance.arrayNode().add(NAMESPACES.toJson());
    ModuleSpec spec =
        ModuleSpec.builder("namespace-aware")
            .path(policy)
            .type("kubewarden")
            .settings(settings)
            .option("allowedHostCapabilities", granted)
            .option("contextAwareResources", resources)
            .extension(HostCapabilities.class, host)
            .build();
    ModuleAdmissionController admission =
        ModuleAdmissionController.validating(ModuleRuntimes.load(spec));
    // docs:end cluster
    return new ContextAwareOperator(cluster, admission);
  }

  /** The policy as an admission controller. */
  public AdmissionController admission() {
    return admission;
  }

  /** Answers {@code review} with the policy. */
  public AdmissionReview admit(AdmissionReview review) {
    return admission.admit(review);
  }

  /** Closes the policy and the caches k8s-wasm started (not the operator's client or informer). */
  @Override
  public void close() {
    try {
      admission.close();
    } finally {
      cluster.close();
    }
  }
}
