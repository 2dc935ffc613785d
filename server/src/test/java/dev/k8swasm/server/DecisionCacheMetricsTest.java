package dev.k8swasm.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k8swasm.module.ReviewKind;
import dev.k8swasm.observe.CacheEvent;
import org.junit.jupiter.api.Test;

/** Every decision cache event is a Prometheus series with its kind. */
class DecisionCacheMetricsTest {
  @Test
  void everyEventHasItsSeries() {
    ServerMetrics metrics = new ServerMetrics();
    for (CacheEvent event : CacheEvent.values()) {
      metrics.onCacheEvent(ReviewKind.AUTHORIZATION, event);
    }
    metrics.onCacheEvent(ReviewKind.AUTHENTICATION, CacheEvent.SHARED);
    metrics.onCacheEvent(ReviewKind.AUTHENTICATION, CacheEvent.SHARED);
    String scrape = metrics.scrape();
    assertThat(Fixture.metric(scrape, "k8swasm_decision_cache_requests_total", "result", "hit"))
        .isEqualTo(1);
    assertThat(Fixture.metric(scrape, "k8swasm_decision_cache_requests_total", "result", "miss"))
        .isEqualTo(1);
    assertThat(Fixture.metric(scrape, "k8swasm_decision_cache_evictions_total", "cause", "size"))
        .isEqualTo(1);
    assertThat(Fixture.metric(scrape, "k8swasm_decision_cache_evictions_total", "cause", "expired"))
        .isEqualTo(1);
    assertThat(
            Fixture.metric(scrape, "k8swasm_decision_cache_shared_total", "kind", "authorization"))
        .isEqualTo(1);
    assertThat(
            Fixture.metric(scrape, "k8swasm_decision_cache_shared_total", "kind", "authentication"))
        .isEqualTo(2);
  }
}
