package dev.k8swasm.cluster;

import dev.k8swasm.authz.AuthorizationDecision;
import dev.k8swasm.authz.Authorizer;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.json.Json;
import dev.k8swasm.kubewarden.capabilities.CachingAuthorizer;
import dev.k8swasm.kubewarden.capabilities.HostCapabilityException;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers {@code kubernetes/can_i} (or any authorization question) by creating a {@code
 * SubjectAccessReview} on the API server, as policy-server does. Decisions are kept for a short
 * time (default 5 s, policy-server's) keyed by the whole review spec, at most {@link
 * Builder#maxEntries} of them; a policy's {@code disable_cache: true} asks {@link #uncached()}. The
 * service account needs {@code create} on {@code subjectaccessreviews.authorization.k8s.io}.
 * Failures (API server unreachable, 403) are one-line {@link HostCapabilityException}s the policy
 * reads. Thread-safe.
 */
public final class ClusterAuthorizer implements CachingAuthorizer {
  /** The name decisions carry as the deciding module. */
  public static final String NAME = "kube-apiserver";

  private final KubernetesClient client;
  private final Duration ttl;
  private final int maxEntries;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final Authorizer uncached = this::ask;

  private record Cached(AuthorizationDecision decision, Instant expires) {}

  private ClusterAuthorizer(Builder b) {
    this.client = b.client;
    this.ttl = b.ttl;
    this.maxEntries = b.maxEntries;
    this.clock = b.clock;
  }

  /** A builder for an authorizer asking the API server {@code client} talks to. */
  public static Builder builder(KubernetesClient client) {
    return new Builder(client);
  }

  @Override
  public AuthorizationDecision authorize(SubjectAccessReview review) {
    Objects.requireNonNull(review, "review");
    if (ttl.isZero()) {
      return ask(review);
    }
    String key = Json.writeString(review.toV1().spec());
    Instant now = clock.instant();
    Cached hit = cache.get(key);
    if (hit != null && now.isBefore(hit.expires())) {
      return hit.decision();
    }
    AuthorizationDecision decision = ask(review);
    if (cache.size() >= maxEntries) {
      cache.values().removeIf(c -> !now.isBefore(c.expires()));
      if (cache.size() >= maxEntries) {
        cache.clear();
      }
    }
    cache.put(key, new Cached(decision, now.plus(ttl)));
    return decision;
  }

  @Override
  public Authorizer uncached() {
    return uncached;
  }

  private AuthorizationDecision ask(SubjectAccessReview review) {
    SubjectAccessReview v1 = review.toV1();
    var request =
        client
            .getKubernetesSerialization()
            .unmarshal(
                Json.writeString(SubjectAccessReview.of(v1.spec())),
                io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview.class);
    io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview answer;
    try {
      answer = client.authorization().v1().subjectAccessReview().create(request);
    } catch (KubernetesClientException e) {
      throw ClusterErrors.of(
          "create a SubjectAccessReview", "create on subjectaccessreviews.authorization.k8s.io", e);
    }
    SubjectAccessReviewStatus status = answer == null ? null : answer.getStatus();
    if (status == null) {
      throw new HostCapabilityException(
          "the Kubernetes API server answered the SubjectAccessReview without a status");
    }
    String reason = status.getReason() == null ? "" : status.getReason();
    AuthorizationDecision decision;
    if (Boolean.TRUE.equals(status.getAllowed())) {
      decision = AuthorizationDecision.allow(reason, NAME);
    } else if (Boolean.TRUE.equals(status.getDenied())) {
      decision = AuthorizationDecision.deny(reason, NAME);
    } else {
      decision = AuthorizationDecision.noOpinion(reason);
    }
    return status.getEvaluationError() == null || status.getEvaluationError().isEmpty()
        ? decision
        : decision.withError(status.getEvaluationError());
  }

  /** Builds a {@link ClusterAuthorizer}. */
  public static final class Builder {
    private final KubernetesClient client;
    private Duration ttl = Duration.ofSeconds(5);
    private int maxEntries = 10_000;
    private Clock clock = Clock.systemUTC();

    private Builder(KubernetesClient client) {
      this.client = Objects.requireNonNull(client, "client");
    }

    /** How long a decision is reused (default 5 s, as policy-server); zero disables the cache. */
    public Builder ttl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.isNegative()) {
        throw new IllegalArgumentException("ttl must not be negative: " + ttl);
      }
      this.ttl = ttl;
      return this;
    }

    /** At most this many decisions are kept (default 10000). */
    public Builder maxEntries(int maxEntries) {
      if (maxEntries < 1) {
        throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
      }
      this.maxEntries = maxEntries;
      return this;
    }

    /** The clock the cache expires with (tests). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public ClusterAuthorizer build() {
      return new ClusterAuthorizer(this);
    }
  }
}
