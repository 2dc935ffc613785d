package dev.k8swasm.observe;

/** What happened in a decision cache, as reported to a {@link DecisionCacheListener}. */
public enum CacheEvent {
  /** A decision was answered from the cache; no module was asked. */
  HIT,
  /** No usable cached decision: the modules were asked, or an equal review's evaluation shared. */
  MISS,
  /**
   * A miss answered by the evaluation of an equal review that was already running: the modules were
   * asked once for both (reported after the {@link #MISS}).
   */
  SHARED,
  /** A live decision was dropped to keep the cache within its size bound (least recently used). */
  EVICTED,
  /** A decision was dropped because its time to live had passed. */
  EXPIRED;

  /** The label in metrics: lower case ({@code hit}, {@code miss}, {@code evicted}...). */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
