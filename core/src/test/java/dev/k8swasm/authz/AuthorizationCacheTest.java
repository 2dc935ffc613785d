package dev.k8swasm.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.authz.AuthorizationDecision.Decision;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ReviewKind;
import dev.k8swasm.observe.CacheEvent;
import dev.k8swasm.testing.FakeModule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The decision cache of {@link AuthorizerChain}, on a fake clock. */
class AuthorizationCacheTest {
  final AtomicLong now = new AtomicLong();
  final List<CacheEvent> events = Collections.synchronizedList(new ArrayList<>());

  AuthorizationCacheOptions.Builder options() {
    return AuthorizationCacheOptions.builder()
        .ticker(now::get)
        .listener(
            (kind, event) -> {
              assertThat(kind).isEqualTo(ReviewKind.AUTHORIZATION);
              events.add(event);
            });
  }

  /** An authorizer counting its calls and deciding with {@code decide}. */
  static final class Counting implements Authorizer {
    final AtomicInteger calls = new AtomicInteger();
    final Function<SubjectAccessReview, AuthorizationDecision> decide;

    Counting(Function<SubjectAccessReview, AuthorizationDecision> decide) {
      this.decide = decide;
    }

    @Override
    public AuthorizationDecision authorize(SubjectAccessReview review) {
      calls.incrementAndGet();
      return decide.apply(review);
    }
  }

  static SubjectAccessReview review(String user) {
    return SubjectAccessReview.builder()
        .user(user)
        .groups("developers")
        .resourceAttributes(
            ResourceAttributes.builder().verb("get").resource("pods").namespace("shop").build())
        .build();
  }

  void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void withoutACacheEveryReviewIsEvaluated() {
    Counting allow = new Counting(r -> AuthorizationDecision.allow("ok", "a"));
    AuthorizerChain chain = AuthorizerChain.builder().add(allow).build();

    chain.authorize(review("alice"));
    chain.authorize(review("alice"));

    assertThat(allow.calls).hasValue(2);
    assertThat(chain.cache()).isEmpty();
  }

  @Test
  void theSameReviewIsAnsweredFromTheCacheWithTheSameDecision() {
    Counting allow = new Counting(r -> AuthorizationDecision.allow("ok", "a"));
    AuthorizerChain chain = AuthorizerChain.builder().add(allow).cache(options().build()).build();

    AuthorizationDecision first = chain.authorize(review("alice"));
    AuthorizationDecision second = chain.authorize(review("alice"));

    assertThat(allow.calls).hasValue(1);
    assertThat(second).isEqualTo(first);
    assertThat(events).containsExactly(CacheEvent.MISS, CacheEvent.HIT);
  }

  @Test
  void concurrentMissesOfTheSameReviewShareOneEvaluation() throws Exception {
    java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Counting slow =
        new Counting(
            r -> {
              entered.countDown();
              try {
                release.await(30, java.util.concurrent.TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return AuthorizationDecision.allow("ok", "slow");
            });
    AuthorizerChain chain = AuthorizerChain.builder().add(slow).cache(options().build()).build();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newCachedThreadPool();
    try {
      var first = pool.submit(() -> chain.authorize(review("alice")));
      assertThat(entered.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      java.util.concurrent.atomic.AtomicReference<Thread> second =
          new java.util.concurrent.atomic.AtomicReference<>();
      var shared =
          pool.submit(
              () -> {
                second.set(Thread.currentThread());
                return chain.authorize(review("alice"));
              });
      dev.k8swasm.internal.InFlightTest.awaitWaiting(second);
      release.countDown();

      assertThat(shared.get(30, java.util.concurrent.TimeUnit.SECONDS))
          .isEqualTo(first.get(30, java.util.concurrent.TimeUnit.SECONDS));
      assertThat(slow.calls).hasValue(1);
      assertThat(events).containsExactly(CacheEvent.MISS, CacheEvent.MISS, CacheEvent.SHARED);
      // another user is another review: evaluated
      chain.authorize(review("bob"));
      assertThat(slow.calls).hasValue(2);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theDefaultsAreKubeApiserversAndTheCacheIsOptIn() {
    AuthorizationCacheOptions d = AuthorizationCacheOptions.defaults();
    assertThat(d.authorizedTtl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(d.unauthorizedTtl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.maxEntries()).isEqualTo(8192);
    assertThat(AuthorizerChain.builder().build().cache()).isEmpty();
    assertThat(AuthorizerChain.of(List.of()).cache()).isEmpty();
    assertThat(AuthorizerChain.builder().cache(d).build().cache()).containsSame(d);
  }

  @Test
  void anAllowIsKeptForTheAuthorizedTtl() {
    Counting allow = new Counting(r -> AuthorizationDecision.allow("ok", "a"));
    AuthorizerChain chain = AuthorizerChain.builder().add(allow).cache(options().build()).build();

    chain.authorize(review("alice"));
    advance(Duration.ofMinutes(5).minusNanos(1));
    chain.authorize(review("alice"));
    assertThat(allow.calls).as("still cached just before 5 minutes").hasValue(1);

    advance(Duration.ofNanos(1));
    chain.authorize(review("alice"));
    assertThat(allow.calls).as("asked again at 5 minutes").hasValue(2);
    assertThat(events)
        .containsExactly(CacheEvent.MISS, CacheEvent.HIT, CacheEvent.EXPIRED, CacheEvent.MISS);
  }

  @Test
  void aDenyAndANoOpinionAreKeptForTheUnauthorizedTtl() {
    Counting deny = new Counting(r -> AuthorizationDecision.deny("no", "d"));
    Counting none = new Counting(r -> AuthorizationDecision.noOpinion("dunno"));
    AuthorizerChain denying = AuthorizerChain.builder().add(deny).cache(options().build()).build();
    AuthorizerChain undecided =
        AuthorizerChain.builder().add(none).cache(options().build()).build();

    for (AuthorizerChain chain : List.of(denying, undecided)) {
      chain.authorize(review("bob"));
    }
    advance(Duration.ofSeconds(30).minusNanos(1));
    for (AuthorizerChain chain : List.of(denying, undecided)) {
      assertThat(chain.authorize(review("bob")).allowed()).isFalse();
    }
    assertThat(deny.calls).hasValue(1);
    assertThat(none.calls).hasValue(1);

    advance(Duration.ofNanos(1));
    assertThat(denying.authorize(review("bob")).decision()).isEqualTo(Decision.DENY);
    assertThat(undecided.authorize(review("bob")).decision()).isEqualTo(Decision.NO_OPINION);
    assertThat(deny.calls).hasValue(2);
    assertThat(none.calls).hasValue(2);
  }

  @Test
  void theTtlsAreConfigurableAndZeroKeepsNothing() {
    Counting deny = new Counting(r -> AuthorizationDecision.deny("no", "d"));
    Counting allow = new Counting(r -> AuthorizationDecision.allow("ok", "a"));
    AuthorizationCacheOptions allowsOnly =
        options().authorizedTtl(Duration.ofSeconds(10)).unauthorizedTtl(Duration.ZERO).build();
    AuthorizerChain denying = AuthorizerChain.builder().add(deny).cache(allowsOnly).build();
    AuthorizerChain allowing = AuthorizerChain.builder().add(allow).cache(allowsOnly).build();

    denying.authorize(review("bob"));
    denying.authorize(review("bob"));
    allowing.authorize(review("bob"));
    advance(Duration.ofSeconds(9));
    allowing.authorize(review("bob"));
    advance(Duration.ofSeconds(1));
    allowing.authorize(review("bob"));

    assertThat(deny.calls).as("denials not kept").hasValue(2);
    assertThat(allow.calls).as("kept 10 s").hasValue(2);
  }

  @Test
  void aModuleFailureIsNeverCachedWhateverItsFailurePolicyDecided() {
    for (AuthorizationFailurePolicy policy : AuthorizationFailurePolicy.values()) {
      FakeModule failing = FakeModule.failing("x", FailureReason.TIMEOUT, "slow");
      AuthorizerChain chain =
          AuthorizerChain.builder()
              .add(ModuleAuthorizer.builder(failing).failurePolicy(policy).build())
              .cache(options().build())
              .build();

      AuthorizationDecision first = chain.authorize(review("alice"));
      chain.authorize(review("alice"));

      assertThat(first.evaluationError()).contains("slow");
      assertThat(failing.calls()).as(policy.name()).isEqualTo(2);
    }
  }

  @Test
  void anEvaluationErrorTheModuleReportedIsNotCachedEvenWithAnAllow() {
    FakeModule erring =
        ModuleAuthorizerTest.answering("e", "{\"allowed\":true,\"evaluationError\":\"partial\"}");
    AuthorizerChain chain =
        AuthorizerChain.builder().add(ModuleAuthorizer.of(erring)).cache(options().build()).build();

    chain.authorize(review("alice"));
    chain.authorize(review("alice"));

    assertThat(erring.calls()).isEqualTo(2);
  }

  @Test
  void anAllowAfterAnEarlierModulesFailureIsNotCached() {
    // the chain's decision carries no error (kube-apiserver's union authorizer drops it), but the
    // failed module must be asked again next time: it might deny once it works
    FakeModule failing = FakeModule.failing("x", FailureReason.TRAP, "t");
    FakeModule allowing = ModuleAuthorizerTest.answering("a", "{\"allowed\":true}");
    AuthorizerChain chain =
        AuthorizerChain.builder()
            .add(ModuleAuthorizer.of(failing))
            .add(ModuleAuthorizer.of(allowing))
            .cache(options().build())
            .build();

    AuthorizationDecision first = chain.authorize(review("alice"));
    chain.authorize(review("alice"));

    assertThat(first.allowed()).isTrue();
    assertThat(first.evaluationError()).isNull();
    assertThat(failing.calls()).isEqualTo(2);
    assertThat(allowing.calls()).isEqualTo(2);
  }

  @Test
  void atMostMaxEntriesDecisionsAreKeptTheLeastRecentlyUsedDroppedFirst() {
    Counting allow = new Counting(r -> AuthorizationDecision.allow(r.spec().user(), "a"));
    AuthorizerChain chain =
        AuthorizerChain.builder().add(allow).cache(options().maxEntries(2).build()).build();

    chain.authorize(review("a"));
    chain.authorize(review("b"));
    chain.authorize(review("a")); // hit: b is now the least recently used
    chain.authorize(review("c")); // evicts b
    assertThat(allow.calls).hasValue(3);

    chain.authorize(review("a"));
    chain.authorize(review("c"));
    assertThat(allow.calls).as("a and c still cached").hasValue(3);
    assertThat(chain.authorize(review("b")).reason()).isEqualTo("b");
    assertThat(allow.calls).as("b was evicted").hasValue(4);
    assertThat(events).filteredOn(e -> e == CacheEvent.EVICTED).hasSize(2);
  }

  @Test
  void namesThatOnlyACharsetEncoderWouldConfuseAreDifferentKeys() {
    // UTF-8 encoders write every unpaired surrogate as '?': keys must not go through one
    Counting allow = new Counting(r -> AuthorizationDecision.allow(r.spec().user(), "a"));
    AuthorizerChain chain = AuthorizerChain.builder().add(allow).cache(options().build()).build();

    for (String user : List.of("?", "\uD800", "\uD801", "\uDC00")) {
      assertThat(chain.authorize(review(user)).reason()).isEqualTo(user);
    }
    assertThat(allow.calls).hasValue(4);
  }

  @Test
  void aClosedChainRefusesEvenWhatItHasCached() {
    Counting allow = new Counting(r -> AuthorizationDecision.allow("ok", "a"));
    AuthorizerChain chain = AuthorizerChain.builder().add(allow).cache(options().build()).build();
    chain.authorize(review("alice"));

    chain.close();

    assertThatThrownBy(() -> chain.authorize(review("alice")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void eachChainHasItsOwnCache() {
    Counting allow = new Counting(r -> AuthorizationDecision.allow("ok", "a"));
    AuthorizerChain.Builder builder = AuthorizerChain.builder().add(allow).cache(options().build());
    builder.build().authorize(review("alice"));
    builder.build().authorize(review("alice"));
    assertThat(allow.calls).hasValue(2);
  }

  @Test
  void aFailingListenerChangesNoDecision() {
    Counting allow = new Counting(r -> AuthorizationDecision.allow("ok", "a"));
    AuthorizerChain chain =
        AuthorizerChain.builder()
            .add(allow)
            .cache(
                options()
                    .listener(
                        (kind, event) -> {
                          throw new IllegalStateException("broken listener");
                        })
                    .build())
            .build();

    assertThat(chain.authorize(review("alice")).allowed()).isTrue();
    assertThat(chain.authorize(review("alice")).allowed()).isTrue();
    assertThat(allow.calls).hasValue(1);
  }

  @Test
  void concurrentCallersEachGetTheDecisionForTheirOwnReview() throws Exception {
    Counting byUser = new Counting(r -> AuthorizationDecision.allow(r.spec().user(), "a"));
    AuthorizerChain chain =
        AuthorizerChain.builder().add(byUser).cache(options().maxEntries(8).build()).build();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int seed = t;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 2_000; i++) {
                    String user = "user-" + ((i * 7 + seed) % 12); // more users than entries
                    assertThat(chain.authorize(review(user)).reason()).isEqualTo(user);
                  }
                  return null;
                }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(events).filteredOn(e -> e == CacheEvent.HIT).isNotEmpty();
    assertThat(events).filteredOn(e -> e == CacheEvent.EVICTED).isNotEmpty();
  }

  @Test
  void badOptionsAreRefused() {
    assertThatThrownBy(() -> AuthorizationCacheOptions.builder().maxEntries(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxEntries must be at least 1, got 0");
    assertThatThrownBy(
            () -> AuthorizationCacheOptions.builder().unauthorizedTtl(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unauthorizedTtl must not be negative, got PT-1S");
    AuthorizationCacheOptions o =
        AuthorizationCacheOptions.builder().authorizedTtl(Duration.ofMinutes(1)).build();
    assertThat(o.toBuilder().build().authorizedTtl()).isEqualTo(Duration.ofMinutes(1));
    assertThat(o.toString())
        .isEqualTo(
            "AuthorizationCacheOptions[authorizedTtl=PT1M, unauthorizedTtl=PT30S, maxEntries=8192]");
  }
}
