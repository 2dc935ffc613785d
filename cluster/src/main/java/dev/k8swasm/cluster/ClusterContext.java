package dev.k8swasm.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.admission.NamespaceLabels;
import dev.k8swasm.json.Json;
import dev.k8swasm.kubewarden.capabilities.HostCapabilityException;
import dev.k8swasm.kubewarden.capabilities.KubernetesContext;
import dev.k8swasm.kubewarden.metadata.ContextAwareResource;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.cache.Indexer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kubernetes/*} host capabilities of context-aware Kubewarden policies served from a
 * real cluster through a fabric8 {@link KubernetesClient}.
 *
 * <ul>
 *   <li>{@code get_resource} and {@code list_resources_*} are answered from an informer cache, one
 *       per resource type (apiVersion and kind), started the first time a policy asks for that type
 *       (or up front with {@link #watch}) and shared by every policy using this context. Label
 *       selectors and the field selectors every kind supports ({@code metadata.name}, {@code
 *       metadata.namespace}; {@code =}, {@code ==}, {@code !=}) are evaluated on the cache; a field
 *       selector on any other field is sent to the API server with the request.
 *   <li>{@code get_resource} with {@code disable_cache: true} reads from the API server directly.
 *   <li>Memory: one cache per type whatever namespaces and selectors policies use, holding only the
 *       types policies were granted ({@code contextAwareResources}), without {@code
 *       metadata.managedFields} and the {@code kubectl.kubernetes.io/last-applied-configuration}
 *       annotation (as policy-server's reflectors drop them); initial lists are read in pages
 *       ({@link Builder#pageSize}).
 *   <li>Failures reach the policy as one-line host errors (the policy decides what to do): the API
 *       server unreachable, a cache that lost its watch for longer than {@link
 *       Builder#maxStaleness}, RBAC refusals (403) naming what to grant, unknown kinds.
 * </ul>
 *
 * <p>An operator can hand in its own informers' {@link Indexer}s ({@link Builder#indexer}); they
 * are read, never started or stopped. {@link #notReady()} is a readiness check (every cache synced
 * and watching). Thread-safe. {@link #close()} stops the informers this context started (and the
 * client only when {@link Builder#closeClient} was set).
 */
public final class ClusterContext implements KubernetesContext, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterContext.class);
  private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  private static final ContextAwareResource NAMESPACES =
      new ContextAwareResource("v1", "Namespace");

  private final KubernetesClient client;
  private final Duration resync;
  private final Duration syncTimeout;
  private final Duration maxStaleness;
  private final long pageSize;
  private final boolean closeClient;
  private final Clock clock;
  private final Map<ContextAwareResource, Indexer<? extends HasMetadata>> indexers;
  private final Map<ContextAwareResource, TypeCache> caches = new ConcurrentHashMap<>();
  private final Set<ContextAwareResource> wanted = ConcurrentHashMap.newKeySet();
  private final Map<ContextAwareResource, ResourceDefinitionContext> definitions =
      new ConcurrentHashMap<>();
  private volatile boolean closed;
  private volatile Instant probedAt;
  private volatile Instant unreachableSince;
  private volatile String unreachableCause;

  private ClusterContext(Builder b) {
    this.client = b.client;
    this.resync = b.resync;
    this.syncTimeout = b.syncTimeout;
    this.maxStaleness = b.maxStaleness;
    this.pageSize = b.pageSize;
    this.closeClient = b.closeClient;
    this.clock = b.clock;
    this.indexers = Map.copyOf(b.indexers);
  }

  /** A builder for a context reading the cluster through {@code client}. */
  public static Builder builder(KubernetesClient client) {
    return new Builder(client);
  }

  /** The client this context reads through. */
  public KubernetesClient client() {
    return client;
  }

  // ------------------------------------------------------------ KubernetesContext

  @Override
  public List<JsonNode> listResourcesByNamespace(ListResourcesRequest request) {
    Objects.requireNonNull(request, "request");
    String namespace =
        request
            .namespace()
            .orElseThrow(
                () -> new HostCapabilityException("list_resources_by_namespace needs a namespace"));
    return list(request, namespace);
  }

  @Override
  public List<JsonNode> listResourcesAll(ListResourcesRequest request) {
    Objects.requireNonNull(request, "request");
    return list(request, null);
  }

  @Override
  public Optional<JsonNode> getResource(GetResourceRequest request) {
    Objects.requireNonNull(request, "request");
    ContextAwareResource type = new ContextAwareResource(request.apiVersion(), request.kind());
    ResourceDefinitionContext definition = definition(type);
    String namespace = definition.isNamespaceScoped() ? request.namespace().orElse(null) : null;
    if (definition.isNamespaceScoped() && namespace == null) {
      throw new HostCapabilityException(
          type + " is namespaced: get_resource needs the namespace of '" + request.name() + "'");
    }
    if (request.disableCache()) {
      return direct(type, definition, namespace, request.name());
    }
    String key = namespace == null ? request.name() : namespace + "/" + request.name();
    Indexer<? extends HasMetadata> own = indexers.get(type);
    if (own != null) {
      return Optional.ofNullable(own.getByKey(key)).map(o -> toJson(o, true));
    }
    TypeCache cache = ready(type, definition);
    return Optional.ofNullable(cache.informer().getIndexer().getByKey(key))
        .map(o -> toJson(o, false));
  }

  private List<JsonNode> list(ListResourcesRequest request, String namespace) {
    ContextAwareResource type = new ContextAwareResource(request.apiVersion(), request.kind());
    LabelQuery labels;
    FieldQuery fields;
    try {
      labels = LabelQuery.parse(request.labelSelector().orElse(null));
      fields = FieldQuery.parse(request.fieldSelector().orElse(null));
    } catch (IllegalArgumentException e) {
      throw new HostCapabilityException(e.getMessage(), e);
    }
    ResourceDefinitionContext definition = definition(type);
    if (namespace != null && !definition.isNamespaceScoped()) {
      throw new HostCapabilityException(
          "resource " + type + " is cluster wide: it cannot be listed inside a namespace");
    }
    if (!fields.cacheable()) {
      return directList(type, definition, namespace, request);
    }
    Indexer<? extends HasMetadata> own = indexers.get(type);
    List<? extends HasMetadata> objects;
    boolean foreign = own != null;
    if (own != null) {
      objects = namespace == null ? own.list() : byNamespace(own, namespace);
    } else {
      Indexer<GenericKubernetesResource> indexer = ready(type, definition).informer().getIndexer();
      objects = namespace == null ? indexer.list() : indexer.byIndex(NAMESPACE_INDEX, namespace);
    }
    List<JsonNode> out = new ArrayList<>();
    for (HasMetadata o : objects) {
      var meta = o.getMetadata();
      if (meta == null) {
        continue;
      }
      if (labels.matches(meta.getLabels()) && fields.matches(meta.getNamespace(), meta.getName())) {
        out.add(toJson(o, foreign));
      }
    }
    return out;
  }

  private static final String NAMESPACE_INDEX = "namespace";

  private static List<? extends HasMetadata> byNamespace(
      Indexer<? extends HasMetadata> indexer, String namespace) {
    if (indexer.getIndexers().containsKey(NAMESPACE_INDEX)) {
      return indexer.byIndex(NAMESPACE_INDEX, namespace);
    }
    List<HasMetadata> out = new ArrayList<>();
    for (HasMetadata o : indexer.list()) {
      if (o.getMetadata() != null && namespace.equals(o.getMetadata().getNamespace())) {
        out.add(o);
      }
    }
    return out;
  }

  // --------------------------------------------------------------- direct reads

  private Optional<JsonNode> direct(
      ContextAwareResource type,
      ResourceDefinitionContext definition,
      String namespace,
      String name) {
    MixedOperation<
            GenericKubernetesResource,
            GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>>
        op = client.genericKubernetesResources(definition);
    try {
      GenericKubernetesResource found =
          namespace == null
              ? op.withName(name).get()
              : op.inNamespace(namespace).withName(name).get();
      return Optional.ofNullable(found).map(o -> toJson(o, false));
    } catch (KubernetesClientException e) {
      throw ClusterErrors.of(
          "get " + type + " '" + name + "'", ClusterErrors.read(definition.getPlural()), e);
    }
  }

  private List<JsonNode> directList(
      ContextAwareResource type,
      ResourceDefinitionContext definition,
      String namespace,
      ListResourcesRequest request) {
    var op = client.genericKubernetesResources(definition);
    var options = new ListOptionsBuilder();
    request.labelSelector().ifPresent(options::withLabelSelector);
    request.fieldSelector().ifPresent(options::withFieldSelector);
    try {
      GenericKubernetesResourceList list =
          namespace == null
              ? op.inAnyNamespace().list(options.build())
              : op.inNamespace(namespace).list(options.build());
      List<JsonNode> out = new ArrayList<>();
      for (GenericKubernetesResource o : list.getItems()) {
        out.add(toJson(o, true));
      }
      return out;
    } catch (KubernetesClientException e) {
      throw ClusterErrors.of("list " + type, ClusterErrors.read(definition.getPlural()), e);
    }
  }

  // ---------------------------------------------------------------------- caches

  /**
   * Starts the caches of {@code resources} now, without waiting for them to sync, and keeps them in
   * {@link #notReady()}: a server calls this with the resources its policies declare so it is ready
   * only once they are loaded.
   *
   * @throws HostCapabilityException when a kind is unknown
   */
  public void watch(Collection<ContextAwareResource> resources) {
    for (ContextAwareResource type : resources) {
      wanted.add(type);
      if (!indexers.containsKey(type)) {
        cache(type, definition(type));
      }
    }
  }

  /**
   * Why this context is not ready, or empty when every cache it watches has synced and is watching:
   * a readiness check. Caches whose start failed are started again.
   */
  public Optional<String> notReady() {
    if (closed) {
      return Optional.of("the cluster context is closed");
    }
    List<String> problems = new ArrayList<>();
    if (!wanted.isEmpty() || !caches.isEmpty()) {
      probe().ifPresent(problems::add);
    }
    for (ContextAwareResource type : wanted) {
      if (indexers.containsKey(type)) {
        continue;
      }
      TypeCache cache;
      try {
        cache = cache(type, definition(type));
      } catch (HostCapabilityException e) {
        problems.add(type + ": " + e.getMessage());
        continue;
      }
      cache.state().ifPresent(p -> problems.add(type + ": " + p));
    }
    for (TypeCache cache : caches.values()) {
      if (!wanted.contains(cache.type())) {
        cache.state().ifPresent(p -> problems.add(cache.type() + ": " + p));
      }
    }
    return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
  }

  /**
   * Namespace labels from a {@code v1/Namespace} cache (started now, and part of {@link
   * #notReady()}), for {@code namespaceSelector}s: a namespace that does not exist gives empty; an
   * unreachable API server an {@link HostCapabilityException}.
   */
  public NamespaceLabels namespaceLabels() {
    watch(List.of(NAMESPACES));
    return namespace -> {
      Objects.requireNonNull(namespace, "namespace");
      Optional<JsonNode> ns =
          getResource(GetResourceRequest.builder("v1", "Namespace", namespace).build());
      return ns.map(
          n -> {
            Map<String, String> labels = new LinkedHashMap<>();
            n.path("metadata")
                .path("labels")
                .fields()
                .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            return Map.copyOf(labels);
          });
    };
  }

  /**
   * Whether the API server answers ({@code GET /version}), asked at most once a second: a watch can
   * stay open on a connection that no longer leads anywhere, so readiness asks. Empty when it
   * answers (whatever the HTTP status).
   */
  private Optional<String> probe() {
    Instant now = clock.instant();
    Instant last = probedAt;
    if (last == null || !now.isBefore(last.plusSeconds(1))) {
      probedAt = now;
      try {
        client.getKubernetesVersion();
        unreachableSince = null;
      } catch (KubernetesClientException e) {
        if (e.getCode() > 0 || !ClusterErrors.isUnreachable(e)) {
          unreachableSince = null;
        } else {
          if (unreachableSince == null) {
            unreachableSince = now;
          }
          unreachableCause = ClusterErrors.cause(e);
        }
      }
    }
    return unreachableSince == null
        ? Optional.empty()
        : Optional.of("cannot reach the Kubernetes API server (" + unreachableCause + ")");
  }

  /** The cache of {@code type}, synced and fresh enough, or the error the policy reads. */
  private TypeCache ready(ContextAwareResource type, ResourceDefinitionContext definition) {
    TypeCache cache = cache(type, definition);
    cache.awaitSynced(syncTimeout);
    cache.checkFresh(maxStaleness, unreachableSince, unreachableCause);
    return cache;
  }

  private TypeCache cache(ContextAwareResource type, ResourceDefinitionContext definition) {
    if (closed) {
      throw new HostCapabilityException("the cluster context is closed");
    }
    TypeCache cache = caches.get(type);
    if (cache != null && cache.failed()) {
      caches.remove(type, cache);
      cache.stop();
      cache = null;
    }
    if (cache == null) {
      cache =
          caches.computeIfAbsent(
              type,
              t -> {
                LOG.info(
                    "starting the informer cache of {} (resync {}, pages of {})",
                    t,
                    resync,
                    pageSize);
                return TypeCache.start(client, t, definition, resync, pageSize, clock);
              });
    }
    return cache;
  }

  /** How the API server serves {@code type}; the first look-up asks discovery if needed. */
  private ResourceDefinitionContext definition(ContextAwareResource type) {
    ResourceDefinitionContext known = definitions.get(type);
    if (known != null) {
      return known;
    }
    ResourceDefinitionContext found = resolve(type);
    definitions.put(type, found);
    return found;
  }

  private ResourceDefinitionContext resolve(ContextAwareResource type) {
    Class<? extends KubernetesResource> builtIn =
        client
            .getKubernetesSerialization()
            .getRegisteredKubernetesResource(type.apiVersion(), type.kind());
    if (builtIn != null
        && HasMetadata.class.isAssignableFrom(builtIn)
        && !GenericKubernetesResource.class.equals(builtIn)) {
      return ResourceDefinitionContext.fromResourceType(builtIn);
    }
    APIResourceList resources;
    try {
      resources = client.getApiResources(type.apiVersion());
    } catch (KubernetesClientException e) {
      throw ClusterErrors.of(
          "discover the resources of " + type.apiVersion(), "get on the discovery endpoints", e);
    }
    if (resources != null && resources.getResources() != null) {
      for (APIResource r : resources.getResources()) {
        if (type.kind().equals(r.getKind()) && !r.getName().contains("/")) {
          return ResourceDefinitionContext.fromApiResource(type.apiVersion(), r);
        }
      }
    }
    throw new HostCapabilityException(
        "unknown Kubernetes kind "
            + type
            + ": the API server does not serve kind '"
            + type.kind()
            + "' in '"
            + type.apiVersion()
            + "' (check the apiVersion and kind in contextAwareResources)");
  }

  /** {@code object} as Jackson JSON, without the fields caches drop. */
  private JsonNode toJson(HasMetadata object, boolean strip) {
    String json = client.getKubernetesSerialization().asJson(object);
    JsonNode node;
    try {
      node = Json.reader().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (strip && node instanceof ObjectNode o && o.get("metadata") instanceof ObjectNode meta) {
      meta.remove("managedFields");
      if (meta.get("annotations") instanceof ObjectNode annotations) {
        annotations.remove(LAST_APPLIED);
        if (annotations.isEmpty()) {
          meta.remove("annotations");
        }
      }
    }
    return node;
  }

  /** Drops what policies do not need from a cached object (in place). */
  static void strip(HasMetadata object) {
    var meta = object.getMetadata();
    if (meta == null) {
      return;
    }
    meta.setManagedFields(null);
    if (meta.getAnnotations() != null && meta.getAnnotations().containsKey(LAST_APPLIED)) {
      Map<String, String> annotations = new LinkedHashMap<>(meta.getAnnotations());
      annotations.remove(LAST_APPLIED);
      meta.setAnnotations(annotations.isEmpty() ? null : annotations);
    }
  }

  /** Stops the informers this context started (and the client if {@link Builder#closeClient}). */
  @Override
  public void close() {
    closed = true;
    for (TypeCache cache : caches.values()) {
      cache.stop();
    }
    caches.clear();
    if (closeClient) {
      client.close();
    }
  }

  /** Builds a {@link ClusterContext}. */
  public static final class Builder {
    private final KubernetesClient client;
    private Duration resync = Duration.ofMinutes(10);
    private Duration syncTimeout = Duration.ofSeconds(10);
    private Duration maxStaleness = Duration.ofSeconds(10);
    private long pageSize = 500;
    private boolean closeClient;
    private Clock clock = Clock.systemUTC();
    private final Map<ContextAwareResource, Indexer<? extends HasMetadata>> indexers =
        new LinkedHashMap<>();

    private Builder(KubernetesClient client) {
      this.client = Objects.requireNonNull(client, "client");
    }

    /** How often informers re-deliver their cache to themselves (default 10 minutes). */
    public Builder resync(Duration resync) {
      this.resync = positive(resync, "resync");
      return this;
    }

    /**
     * How long a policy's first call for a type waits for its cache to load (default 10 s); after
     * that the call fails and the cache goes on loading.
     */
    public Builder syncTimeout(Duration syncTimeout) {
      this.syncTimeout = positive(syncTimeout, "syncTimeout");
      return this;
    }

    /**
     * How long a cache that lost its watch (API server unreachable) still answers (default 10 s);
     * after that calls fail until the watch is back. {@link Duration#ZERO}: fail at once.
     */
    public Builder maxStaleness(Duration maxStaleness) {
      Objects.requireNonNull(maxStaleness, "maxStaleness");
      if (maxStaleness.isNegative()) {
        throw new IllegalArgumentException("maxStaleness must not be negative: " + maxStaleness);
      }
      this.maxStaleness = maxStaleness;
      return this;
    }

    /** Objects per page of an informer's initial list (default 500). */
    public Builder pageSize(long pageSize) {
      if (pageSize < 1) {
        throw new IllegalArgumentException("pageSize must be at least 1: " + pageSize);
      }
      this.pageSize = pageSize;
      return this;
    }

    /**
     * Serves {@code type} from the operator's own informer cache instead of starting one; the
     * indexer's keys must be fabric8's ({@code namespace/name}, or {@code name} when
     * cluster-scoped).
     */
    public Builder indexer(ContextAwareResource type, Indexer<? extends HasMetadata> indexer) {
      indexers.put(
          Objects.requireNonNull(type, "type"), Objects.requireNonNull(indexer, "indexer"));
      return this;
    }

    /** Whether {@link ClusterContext#close()} closes the client too (default false). */
    public Builder closeClient(boolean closeClient) {
      this.closeClient = closeClient;
      return this;
    }

    /** The clock staleness is measured with (tests). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public ClusterContext build() {
      return new ClusterContext(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
      return d;
    }
  }
}
