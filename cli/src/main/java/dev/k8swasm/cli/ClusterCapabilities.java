package dev.k8swasm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.cluster.ClusterAuthorizer;
import dev.k8swasm.cluster.ClusterContext;
import dev.k8swasm.kubewarden.capabilities.HostCapabilities;
import dev.k8swasm.kubewarden.capabilities.HostCapabilityException;
import dev.k8swasm.kubewarden.metadata.ContextAwareResource;
import dev.k8swasm.module.ModuleSpec;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a configured module the cluster's host capabilities ({@code kubernetes/*} from the informer
 * caches, {@code can_i} as SubjectAccessReviews) and starts the caches of the resources it declares
 * ({@code contextAwareResources}), so {@code serve} is ready only once they are loaded.
 */
final class ClusterCapabilities {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterCapabilities.class);

  private ClusterCapabilities() {}

  static ModuleSpec.Builder apply(
      ModuleSpec.Builder b, ClusterContext context, ClusterAuthorizer authorizer) {
    ModuleSpec probe;
    try {
      probe = b.build();
    } catch (RuntimeException e) {
      // an incomplete spec fails to load with its own error; nothing to add here
      return b;
    }
    HostCapabilities host =
        probe.extension(HostCapabilities.class).orElse(HostCapabilities.defaults()).toBuilder()
            .kubernetes(context)
            .authorizer(authorizer)
            .build();
    b.extension(HostCapabilities.class, host);
    JsonNode declared = probe.options().get("contextAwareResources");
    if (declared != null && !declared.isNull()) {
      try {
        List<ContextAwareResource> resources =
            ContextAwareResource.parseList(declared, "module " + probe.name());
        context.watch(resources);
      } catch (IllegalArgumentException | HostCapabilityException e) {
        LOG.warn(
            "module={}: its contextAwareResources cannot be watched: {}",
            probe.name(),
            e.getMessage());
      }
    }
    return b;
  }
}
