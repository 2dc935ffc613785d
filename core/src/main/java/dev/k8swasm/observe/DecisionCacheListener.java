package dev.k8swasm.observe;

import dev.k8swasm.module.ReviewKind;

/**
 * Receives the events of the decision caches of authentication and authorization chains, for
 * metrics. Events carry no part of the request (no token, user or attributes). Called on the
 * deciding thread, never while a cache is locked: implementations must be thread-safe and fast, and
 * must not throw (a failing listener is logged and otherwise ignored).
 */
@FunctionalInterface
public interface DecisionCacheListener {

  /** A listener that ignores everything. */
  DecisionCacheListener NONE = (kind, event) -> {};

  /**
   * Called once per event.
   *
   * @param kind {@link ReviewKind#AUTHENTICATION} or {@link ReviewKind#AUTHORIZATION}
   * @param event what happened
   */
  void onCacheEvent(ReviewKind kind, CacheEvent event);

  /** Calls safely, so a failing listener never changes a decision. */
  static void notify(DecisionCacheListener listener, ReviewKind kind, CacheEvent event) {
    try {
      listener.onCacheEvent(kind, event);
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(DecisionCacheListener.class)
          .warn("decision cache listener {} failed: {}", listener, e.toString());
    }
  }
}
