package dev.k8swasm.cluster;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds the {@link KubernetesClient} of the command line, found as kwctl and kubectl find theirs:
 * an explicit kubeconfig file, else the {@code KUBECONFIG} environment variable, else {@code
 * ~/.kube/config}, else the pod's service account (in-cluster configuration); a context name picks
 * one of the kubeconfig's contexts instead of its current one. Requests are retried once and time
 * out after 10 s, so an unreachable API server gives a policy an error instead of a long wait.
 */
public final class KubeClients {
  private static final Path SERVICE_ACCOUNT_TOKEN =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

  private KubeClients() {}

  /**
   * A client for {@code kubeconfig} (or the default places when null) and {@code context} (or the
   * current one when null).
   *
   * @throws IllegalArgumentException with a one-line message when no configuration is found, the
   *     file cannot be read or the context does not exist
   */
  public static KubernetesClient client(Path kubeconfig, String context) {
    return new KubernetesClientBuilder().withConfig(config(kubeconfig, context)).build();
  }

  /** The client configuration {@link #client} uses. */
  public static Config config(Path kubeconfig, String context) {
    return config(kubeconfig, context, System.getenv(), Path.of(System.getProperty("user.home")));
  }

  static Config config(Path kubeconfig, String context, Map<String, String> env, Path home) {
    Config config;
    if (kubeconfig != null) {
      if (!Files.isRegularFile(kubeconfig)) {
        throw new IllegalArgumentException("kubeconfig " + kubeconfig + " does not exist");
      }
      String text;
      try {
        text = Files.readString(kubeconfig);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot read the kubeconfig " + kubeconfig + ": " + e.getMessage(), e);
      }
      try {
        config = Config.fromKubeconfig(context, text, kubeconfig.toAbsolutePath().toString());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "cannot use the kubeconfig " + kubeconfig + ": " + ClusterErrors.cause(e), e);
      }
    } else {
      String fromEnv = env.get("KUBECONFIG");
      boolean kubeconfigFile =
          (fromEnv != null && !fromEnv.isBlank())
              || Files.isRegularFile(home.resolve(".kube").resolve("config"));
      boolean inCluster =
          env.containsKey("KUBERNETES_SERVICE_HOST") && Files.isRegularFile(SERVICE_ACCOUNT_TOKEN);
      if (!kubeconfigFile && !inCluster) {
        throw new IllegalArgumentException(
            "no Kubernetes configuration found: give --kubeconfig FILE, set KUBECONFIG, create"
                + " ~/.kube/config, or run in a pod with a service account");
      }
      try {
        config = Config.autoConfigure(context);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "cannot read the Kubernetes configuration: " + ClusterErrors.cause(e), e);
      }
    }
    if (context != null) {
      NamedContext current = config.getCurrentContext();
      if (current == null || !context.equals(current.getName())) {
        List<NamedContext> all = config.getContexts() == null ? List.of() : config.getContexts();
        throw new IllegalArgumentException(
            "context '"
                + context
                + "' is not in the kubeconfig (contexts: "
                + (all.isEmpty()
                    ? "none"
                    : all.stream()
                        .map(NamedContext::getName)
                        .sorted()
                        .collect(Collectors.joining(", ")))
                + ")");
      }
    }
    config.setRequestRetryBackoffLimit(1);
    config.setConnectionTimeout(5_000);
    config.setRequestTimeout(10_000);
    return config;
  }
}
