package dev.k8swasm.cluster;

import dev.k8swasm.kubewarden.capabilities.HostCapabilityException;
import dev.k8swasm.kubewarden.metadata.ContextAwareResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The informer cache of one resource type (all namespaces). Its initial list failing (API server
 * unreachable, 403) fails the cache, which is then started afresh by the next call; once synced,
 * the informer reconnects by itself and the cache reports how long it has been without a watch.
 */
final class TypeCache {
  private static final Logger LOG = LoggerFactory.getLogger(TypeCache.class);

  private final ContextAwareResource type;
  private final ResourceDefinitionContext definition;
  private final SharedIndexInformer<GenericKubernetesResource> informer;
  private final CompletableFuture<Void> synced;
  private final Clock clock;
  private volatile Throwable lastError;
  private volatile Instant lostSince;

  private TypeCache(
      ContextAwareResource type,
      ResourceDefinitionContext definition,
      SharedIndexInformer<GenericKubernetesResource> informer,
      Clock clock) {
    this.type = type;
    this.definition = definition;
    this.informer = informer;
    this.clock = clock;
    informer.itemStore(new StrippingStore());
    informer.exceptionHandler(this::onException);
    this.synced = informer.start().toCompletableFuture();
    synced.whenComplete(
        (ok, e) -> {
          if (e == null) {
            LOG.info(
                "informer cache of {} synced ({} objects)",
                type,
                informer.getStore().list().size());
          } else {
            LOG.warn(
                "informer cache of {} failed to start: {}",
                type,
                ClusterErrors.describe(
                    "list " + type, ClusterErrors.read(definition.getPlural()), e));
          }
        });
  }

  static TypeCache start(
      KubernetesClient client,
      ContextAwareResource type,
      ResourceDefinitionContext definition,
      Duration resync,
      long pageSize,
      Clock clock) {
    SharedIndexInformer<GenericKubernetesResource> informer =
        client
            .genericKubernetesResources(definition)
            .inAnyNamespace()
            .withLimit(pageSize)
            .runnableInformer(resync.toMillis());
    return new TypeCache(type, definition, informer, clock);
  }

  /** Initial list failures stop the informer (the next call starts a new one); later ones retry. */
  private boolean onException(boolean started, Throwable t) {
    lastError = t;
    if (!started) {
      return false;
    }
    if (lostSince == null) {
      lostSince = clock.instant();
    }
    LOG.warn(
        "informer cache of {} lost its watch, reconnecting: {}",
        type,
        ClusterErrors.describe("watch " + type, ClusterErrors.read(definition.getPlural()), t));
    return true;
  }

  ContextAwareResource type() {
    return type;
  }

  SharedIndexInformer<GenericKubernetesResource> informer() {
    return informer;
  }

  boolean failed() {
    return synced.isCompletedExceptionally();
  }

  /** Waits up to {@code timeout} for the initial list, or throws the error the policy reads. */
  void awaitSynced(Duration timeout) {
    try {
      synced.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HostCapabilityException("interrupted while loading the cache of " + type, e);
    } catch (ExecutionException e) {
      throw ClusterErrors.of(
          "list " + type, ClusterErrors.read(definition.getPlural()), e.getCause());
    } catch (TimeoutException e) {
      Throwable last = lastError;
      throw new HostCapabilityException(
          "the cache of "
              + type
              + " did not load within "
              + timeout.toMillis()
              + " ms"
              + (last == null
                  ? " (the Kubernetes API server is slow or unreachable)"
                  : ": "
                      + ClusterErrors.describe(
                          "list " + type, ClusterErrors.read(definition.getPlural()), last)));
    }
  }

  /**
   * Throws when the watch has been lost, or the API server has been unreachable ({@code
   * unreachableSince}, from the context's probe; null when reachable), for {@code maxStaleness} or
   * longer.
   */
  void checkFresh(Duration maxStaleness, Instant unreachableSince, String unreachableCause) {
    Instant now = clock.instant();
    if (unreachableSince != null
        && Duration.between(unreachableSince, now).compareTo(maxStaleness) >= 0) {
      throw new HostCapabilityException(
          "cannot reach the Kubernetes API server: the cache of "
              + type
              + " may be stale ("
              + unreachableCause
              + ")");
    }
    if (informer.isWatching()) {
      lostSince = null;
      return;
    }
    Instant since = lostSince;
    if (since == null) {
      lostSince = since = now;
    }
    if (Duration.between(since, now).compareTo(maxStaleness) >= 0) {
      Throwable last = lastError;
      throw new HostCapabilityException(
          "cannot reach the Kubernetes API server: the cache of "
              + type
              + " has had no watch for "
              + Duration.between(since, now).toMillis()
              + " ms (reconnecting)"
              + (last == null ? "" : "; last error: " + ClusterErrors.cause(last)));
    }
  }

  /** Why this cache cannot serve now, or empty. */
  Optional<String> state() {
    if (!synced.isDone()) {
      Throwable last = lastError;
      return Optional.of(
          "loading"
              + (last == null
                  ? ""
                  : " ("
                      + ClusterErrors.describe(
                          "list " + type, ClusterErrors.read(definition.getPlural()), last)
                      + ")"));
    }
    if (synced.isCompletedExceptionally()) {
      try {
        synced.join();
      } catch (RuntimeException e) {
        return Optional.of(
            ClusterErrors.describe("list " + type, ClusterErrors.read(definition.getPlural()), e));
      }
    }
    if (!informer.isWatching()) {
      Throwable last = lastError;
      return Optional.of(
          "watch lost, reconnecting"
              + (last == null ? "" : " (" + ClusterErrors.cause(last) + ")"));
    }
    return Optional.empty();
  }

  void stop() {
    informer.stop();
  }

  /** The informer's store, dropping the fields policies do not need before keeping an object. */
  private static final class StrippingStore implements ItemStore<GenericKubernetesResource> {
    private final BasicItemStore<GenericKubernetesResource> delegate =
        new BasicItemStore<>(Cache::metaNamespaceKeyFunc);

    @Override
    public String getKey(GenericKubernetesResource object) {
      return delegate.getKey(object);
    }

    @Override
    public GenericKubernetesResource put(String key, GenericKubernetesResource object) {
      ClusterContext.strip(object);
      return delegate.put(key, object);
    }

    @Override
    public GenericKubernetesResource remove(String key) {
      return delegate.remove(key);
    }

    @Override
    public Stream<String> keySet() {
      return delegate.keySet();
    }

    @Override
    public Stream<GenericKubernetesResource> values() {
      return delegate.values();
    }

    @Override
    public int size() {
      return delegate.size();
    }

    @Override
    public GenericKubernetesResource get(String key) {
      return delegate.get(key);
    }
  }
}
