package dev.k8swasm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.authz.AuthorizationDecision;
import dev.k8swasm.authz.Authorizer;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.cluster.ClusterAuthorizer;
import dev.k8swasm.cluster.ClusterContext;
import dev.k8swasm.cluster.KubeClients;
import dev.k8swasm.kubewarden.capabilities.CachingAuthorizer;
import dev.k8swasm.kubewarden.capabilities.HostCapabilityException;
import dev.k8swasm.kubewarden.capabilities.KubernetesContext;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the cluster is, for context-aware Kubewarden policies ({@code run --allow-context-aware},
 * {@code serve}): {@code --kubeconfig} and {@code --context}, else {@code KUBECONFIG}, {@code
 * ~/.kube/config} or the pod's service account, as kwctl and kubectl look.
 */
public final class ClusterOptions {
  private static final Path SERVICE_ACCOUNT_TOKEN =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description =
          "The kubeconfig of the cluster context-aware policies read (default: KUBECONFIG, else"
              + " ~/.kube/config, else the pod's service account).")
  Path kubeconfig;

  @Option(
      names = "--context",
      paramLabel = "NAME",
      description = "The kubeconfig context to use (default: its current context).")
  String context;

  /** Used by picocli. */
  public ClusterOptions() {}

  /** The flags given on the command line, for usage messages. */
  List<String> given() {
    List<String> given = new ArrayList<>();
    if (kubeconfig != null) {
      given.add("--kubeconfig");
    }
    if (context != null) {
      given.add("--context");
    }
    return given;
  }

  /**
   * Whether {@code serve} talks to a cluster: a kubeconfig or context was given, or it runs in a
   * pod with a service account (policy-server's in-cluster configuration).
   */
  boolean serveUsesCluster() {
    return kubeconfig != null
        || context != null
        || (System.getenv("KUBERNETES_SERVICE_HOST") != null
            && Files.isRegularFile(SERVICE_ACCOUNT_TOKEN));
  }

  /**
   * A client for the configured cluster.
   *
   * @throws IllegalArgumentException with a one-line message when no configuration is found
   */
  KubernetesClient client() {
    return KubeClients.client(kubeconfig, context);
  }

  /** The cluster's host capabilities for one process: the context and the can_i authorizer. */
  record Cluster(ClusterContext context, ClusterAuthorizer authorizer) implements AutoCloseable {
    /** Connects (without contacting the API server yet). */
    static Cluster of(KubernetesClient client) {
      return new Cluster(
          ClusterContext.builder(client).closeClient(true).build(),
          ClusterAuthorizer.builder(client).build());
    }

    @Override
    public void close() {
      context.close();
    }
  }

  /**
   * The cluster for {@code run}: connected on first use, so a policy that makes no Kubernetes call
   * needs no configuration, and a missing one is the policy's host error.
   */
  LazyCluster lazy() {
    return new LazyCluster(this::client);
  }

  /** Connects on first use; a configuration problem becomes every call's host error. */
  static final class LazyCluster {
    private final java.util.function.Supplier<KubernetesClient> connect;
    private Cluster cluster;
    private String problem;

    LazyCluster(java.util.function.Supplier<KubernetesClient> connect) {
      this.connect = connect;
    }

    /**
     * Connects in the background now (while the module compiles), so the policy's first call does
     * not spend its deadline loading the client.
     */
    LazyCluster prefetch() {
      Thread t =
          new Thread(
              () -> {
                try {
                  KubernetesClient client = get().context().client();
                  client.getKubernetesSerialization();
                  // loads the informer classes without contacting the API server
                  client.namespaces().runnableInformer(0).close();
                } catch (RuntimeException e) {
                  // kept by get(): the policy's first call reports it
                }
              },
              "k8s-wasm-cluster-connect");
      t.setDaemon(true);
      t.start();
      return this;
    }

    synchronized Cluster get() {
      if (cluster == null && problem == null) {
        try {
          cluster = Cluster.of(connect.get());
        } catch (IllegalArgumentException e) {
          problem = e.getMessage();
        }
      }
      if (problem != null) {
        throw new HostCapabilityException(problem);
      }
      return cluster;
    }

    /** {@code kubernetes/list_*} and {@code get_resource}, connecting on the first call. */
    KubernetesContext kubernetes() {
      return new KubernetesContext() {
        @Override
        public List<JsonNode> listResourcesByNamespace(ListResourcesRequest request) {
          return get().context().listResourcesByNamespace(request);
        }

        @Override
        public List<JsonNode> listResourcesAll(ListResourcesRequest request) {
          return get().context().listResourcesAll(request);
        }

        @Override
        public Optional<JsonNode> getResource(GetResourceRequest request) {
          return get().context().getResource(request);
        }
      };
    }

    /** {@code kubernetes/can_i}, connecting on the first call. */
    CachingAuthorizer authorizer() {
      return new CachingAuthorizer() {
        @Override
        public AuthorizationDecision authorize(SubjectAccessReview review) {
          return get().authorizer().authorize(review);
        }

        @Override
        public Authorizer uncached() {
          return review -> get().authorizer().uncached().authorize(review);
        }
      };
    }
  }
}
