package dev.k8swasm.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ReviewKind;
import dev.k8swasm.observe.CacheEvent;
import dev.k8swasm.testing.FakeModule;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The decision cache of {@link AuthenticatorChain}, on a fake clock. */
class AuthenticationCacheTest {
  static final String TOKEN = "s3cr3t-bearer-token-0123456789";

  final AtomicLong now = new AtomicLong();
  final List<String> events = Collections.synchronizedList(new ArrayList<>());

  AuthenticationCacheOptions.Builder options() {
    return AuthenticationCacheOptions.builder()
        .ticker(now::get)
        .listener((kind, event) -> events.add(kind + " " + event));
  }

  /** An authenticator counting its calls and answering with {@code answer}. */
  static final class Counting implements Authenticator {
    final AtomicInteger calls = new AtomicInteger();
    final Function<TokenReview, AuthenticationResult> answer;

    Counting(Function<TokenReview, AuthenticationResult> answer) {
      this.answer = answer;
    }

    @Override
    public AuthenticationResult authenticate(TokenReview review) {
      calls.incrementAndGet();
      return answer.apply(review);
    }
  }

  static Counting userPerToken() {
    return new Counting(
        r ->
            AuthenticationResult.authenticated(
                UserInfo.of("user-of-" + r.token().hashCode(), null, List.of()),
                r.audiences(),
                "m"));
  }

  static TokenReview review(String token, String... audiences) {
    return TokenReview.builder().token(token).audiences(audiences).build();
  }

  @Test
  void concurrentMissesOfTheSameTokenShareOneEvaluationAndOtherTokensDoNot() throws Exception {
    java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Counting slow =
        new Counting(
            r -> {
              if (r.token().equals(TOKEN)) {
                entered.countDown();
                try {
                  release.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              return AuthenticationResult.authenticated(
                  UserInfo.of("user-of-" + r.token().hashCode(), null, List.of()),
                  r.audiences(),
                  "m");
            });
    AuthenticatorChain chain =
        AuthenticatorChain.builder().add(slow).cache(options().build()).build();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newCachedThreadPool();
    try {
      var first = pool.submit(() -> chain.authenticate(review(TOKEN, "api")));
      assertThat(entered.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      // another token while the first is evaluated: not held up, not shared
      AuthenticationResult other = chain.authenticate(review("another-token-0123456789", "api"));
      assertThat(other.user().username())
          .isEqualTo("user-of-" + "another-token-0123456789".hashCode());
      java.util.concurrent.atomic.AtomicReference<Thread> second =
          new java.util.concurrent.atomic.AtomicReference<>();
      var shared =
          pool.submit(
              () -> {
                second.set(Thread.currentThread());
                return chain.authenticate(review(TOKEN, "api"));
              });
      dev.k8swasm.internal.InFlightTest.awaitWaiting(second);
      release.countDown();

      assertThat(shared.get(30, java.util.concurrent.TimeUnit.SECONDS))
          .isEqualTo(first.get(30, java.util.concurrent.TimeUnit.SECONDS));
      assertThat(slow.calls).hasValue(2);
      assertThat(events).contains("AUTHENTICATION SHARED").hasSize(4);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theSameTokenAndAudiencesAreAnsweredFromTheCache() {
    Counting m = userPerToken();
    AuthenticatorChain chain = AuthenticatorChain.builder().add(m).cache(options().build()).build();

    AuthenticationResult first = chain.authenticate(review(TOKEN, "api"));
    AuthenticationResult second = chain.authenticate(review(TOKEN, "api"));

    assertThat(m.calls).hasValue(1);
    assertThat(second).isEqualTo(first);
    assertThat(events).containsExactly("AUTHENTICATION MISS", "AUTHENTICATION HIT");
  }

  @Test
  void theDefaultIsKubeApiserversTwoMinutesAndTheCacheIsOptIn() {
    assertThat(AuthenticationCacheOptions.defaults().ttl()).isEqualTo(Duration.ofMinutes(2));
    assertThat(AuthenticationCacheOptions.defaults().maxEntries()).isEqualTo(8192);
    assertThat(AuthenticatorChain.builder().build().cache()).isEmpty();

    Counting m = userPerToken();
    AuthenticatorChain chain = AuthenticatorChain.builder().add(m).cache(options().build()).build();
    chain.authenticate(review(TOKEN));
    now.addAndGet(Duration.ofMinutes(2).toNanos() - 1);
    chain.authenticate(review(TOKEN));
    assertThat(m.calls).hasValue(1);
    now.addAndGet(1);
    chain.authenticate(review(TOKEN));
    assertThat(m.calls).hasValue(2);
  }

  @Test
  void notAuthenticatedIsCachedLikeKubeApiserverDoesButErrorsAreNot() {
    Counting no = new Counting(r -> AuthenticationResult.unauthenticated());
    Counting failing =
        new Counting(r -> AuthenticationResult.failed(List.of("module 'x': unreachable")));
    AuthenticatorChain refusing =
        AuthenticatorChain.builder().add(no).cache(options().build()).build();
    AuthenticatorChain erring =
        AuthenticatorChain.builder().add(failing).cache(options().build()).build();

    for (int i = 0; i < 2; i++) {
      assertThat(refusing.authenticate(review(TOKEN)).authenticated()).isFalse();
      assertThat(erring.authenticate(review(TOKEN)).errors()).hasSize(1);
    }

    assertThat(no.calls).hasValue(1);
    assertThat(failing.calls).as("errors are asked again").hasValue(2);
  }

  @Test
  void aFailingModuleIsNeverCachedNorASuccessAfterIt() {
    FakeModule broken = FakeModule.failing("broken", FailureReason.TIMEOUT, "slow");
    FakeModule ok =
        ModuleAuthenticatorTest.answering(
            "ok", "{\"authenticated\":true,\"user\":{\"username\":\"u\"}}");
    AuthenticatorChain chain =
        AuthenticatorChain.builder()
            .add(ModuleAuthenticator.of(broken))
            .add(ModuleAuthenticator.of(ok))
            .cache(options().build())
            .build();

    AuthenticationResult first = chain.authenticate(review(TOKEN));
    chain.authenticate(review(TOKEN));

    assertThat(first.authenticated()).isTrue();
    assertThat(first.errors()).isEmpty();
    assertThat(broken.calls()).isEqualTo(2);
    assertThat(ok.calls()).isEqualTo(2);
  }

  @Test
  void aZeroTtlKeepsNothing() {
    Counting m = userPerToken();
    AuthenticatorChain chain =
        AuthenticatorChain.builder().add(m).cache(options().ttl(Duration.ZERO).build()).build();
    chain.authenticate(review(TOKEN));
    chain.authenticate(review(TOKEN));
    assertThat(m.calls).hasValue(2);
  }

  @Test
  void atMostMaxEntriesResultsAreKept() {
    Counting m = userPerToken();
    AuthenticatorChain chain =
        AuthenticatorChain.builder().add(m).cache(options().maxEntries(1).build()).build();

    chain.authenticate(review("token-a"));
    chain.authenticate(review("token-b"));
    chain.authenticate(review("token-a"));

    assertThat(m.calls).hasValue(3);
    assertThat(events).contains("AUTHENTICATION EVICTED");
  }

  @Test
  void theTokenIsNeverStoredNorShownNorReported() throws Exception {
    Counting m = userPerToken();
    AuthenticationCacheOptions options = options().build();
    AuthenticatorChain chain = AuthenticatorChain.builder().add(m).cache(options).build();
    chain.authenticate(review(TOKEN, "api"));
    chain.authenticate(review(TOKEN, "api"));

    // what the cache holds: 32-byte HMAC keys and the results, neither containing the token
    Object store = field(field(field(chain, "cache"), "store"), "store");
    List<Object> keys;
    List<Object> values;
    synchronized (store) {
      keys = new ArrayList<>(((java.util.Map<?, ?>) store).keySet());
      values = new ArrayList<>(((java.util.Map<?, ?>) store).values());
    }
    assertThat(keys).hasSize(1);
    byte[] digest = (byte[]) field(keys.get(0), "digest");
    assertThat(digest).hasSize(32);
    assertThat(new String(digest, StandardCharsets.ISO_8859_1)).doesNotContain(TOKEN);
    assertThat(keys.get(0)).hasToString("DecisionKey[hmac-sha256]");
    assertThat(values.toString()).doesNotContain(TOKEN);

    assertThat(options.toString()).doesNotContain(TOKEN);
    assertThat(events).allSatisfy(e -> assertThat(e).doesNotContain(TOKEN));
    assertThat(String.join(",", events)).isEqualTo("AUTHENTICATION MISS,AUTHENTICATION HIT");
  }

  @Test
  void theKeysOfTwoCachesCannotBeCompared() throws Exception {
    // each cache has a random HMAC key: a key seen in one (say, in a heap dump) says nothing
    AuthenticatorChain one =
        AuthenticatorChain.builder().add(userPerToken()).cache(options().build()).build();
    AuthenticatorChain two =
        AuthenticatorChain.builder().add(userPerToken()).cache(options().build()).build();
    one.authenticate(review(TOKEN));
    two.authenticate(review(TOKEN));

    Object a =
        ((java.util.Map<?, ?>) field(field(field(one, "cache"), "store"), "store"))
            .keySet()
            .iterator()
            .next();
    Object b =
        ((java.util.Map<?, ?>) field(field(field(two, "cache"), "store"), "store"))
            .keySet()
            .iterator()
            .next();
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void aClosedChainRefusesEvenWhatItHasCached() {
    AuthenticatorChain chain =
        AuthenticatorChain.builder().add(userPerToken()).cache(options().build()).build();
    chain.authenticate(review(TOKEN));
    chain.close();
    assertThatThrownBy(() -> chain.authenticate(review(TOKEN)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void eventsNameTheirKind() {
    List<ReviewKind> kinds = Collections.synchronizedList(new ArrayList<>());
    AuthenticatorChain chain =
        AuthenticatorChain.builder()
            .add(userPerToken())
            .cache(options().listener((kind, event) -> kinds.add(kind)).build())
            .build();
    chain.authenticate(review(TOKEN));
    assertThat(kinds).containsExactly(ReviewKind.AUTHENTICATION);
  }

  @Test
  void badOptionsAreRefused() {
    assertThatThrownBy(() -> AuthenticationCacheOptions.builder().ttl(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ttl must not be negative, got PT-1S");
    assertThatThrownBy(() -> AuthenticationCacheOptions.builder().maxEntries(-3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxEntries must be at least 1, got -3");
    assertThat(AuthenticationCacheOptions.defaults().toBuilder().ttl(Duration.ofSeconds(5)).build())
        .hasToString("AuthenticationCacheOptions[ttl=PT5S, maxEntries=8192]");
    assertThat(events).isEmpty();
    assertThat(CacheEvent.EVICTED.label()).isEqualTo("evicted");
  }

  static Object field(Object o, String name) throws ReflectiveOperationException {
    Field f = o.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return f.get(o);
  }
}
