package dev.k8swasm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.authz.Authorizer;
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

  /**
   * Gives the module of {@code b} the cluster's {@code kubernetes/*} capabilities, {@code can_i}
   * answered by {@code canI}, and starts the caches of the resources it declares.
   */
  static ModuleSpec.Builder apply(ModuleSpec.Builder b, ClusterContext context, Authorizer canI) {
    ModuleSpec probe = probe(b);
    if (probe == null) {
      return b;
    }
    b.extension(
        HostCapabilities.class, capabilities(probe).kubernetes(context).authorizer(canI).build());
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

  /** Gives the module of {@code b} only a {@code can_i} answerer (serve without a cluster). */
  static ModuleSpec.Builder answerCanI(ModuleSpec.Builder b, Authorizer canI) {
    ModuleSpec probe = probe(b);
    if (probe != null) {
      b.extension(HostCapabilities.class, capabilities(probe).authorizer(canI).build());
    }
    return b;
  }

  /** The spec built so far, or null when it is incomplete (it then fails to load on its own). */
  private static ModuleSpec probe(ModuleSpec.Builder b) {
    try {
      return b.build();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The host capabilities the module has so far, to add to. */
  private static HostCapabilities.Builder capabilities(ModuleSpec probe) {
    return probe.extension(HostCapabilities.class).orElse(HostCapabilities.defaults()).toBuilder();
  }
}
