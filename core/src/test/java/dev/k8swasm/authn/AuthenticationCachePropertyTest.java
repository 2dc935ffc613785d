package dev.k8swasm.authn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * A cached authentication result never answers for another token or another audience list: a
 * TokenReview whose token or audiences differ from a cached one is evaluated and answered with its
 * own result; the same token and audiences are answered from the cache.
 */
class AuthenticationCachePropertyTest {

  /** Strings with the characters that break naive keys: separators, '?', lone surrogates. */
  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(8),
        Arbitraries.strings().withChars("a?,|\"\\\u0000é\uD800\uDC00\uD801").ofMaxLength(4));
  }

  @Provide
  Arbitrary<List<String>> audiences() {
    return texts().list().ofMaxSize(3);
  }

  /** Answers with a user named after exactly what it was asked, and counts its calls. */
  static final class Echo implements Authenticator {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public AuthenticationResult authenticate(TokenReview review) {
      calls.incrementAndGet();
      return AuthenticationResult.authenticated(
          UserInfo.of(review.token(), null, review.audiences()), review.audiences(), "echo");
    }
  }

  static AuthenticatorChain cached(Authenticator a) {
    return AuthenticatorChain.builder().add(a).cache(AuthenticationCacheOptions.defaults()).build();
  }

  @Property(tries = 300)
  void anotherTokenIsNeverAnsweredFromTheCache(
      @ForAll("texts") String token,
      @ForAll("texts") String other,
      @ForAll("audiences") List<String> audiences) {
    Assume.that(!token.equals(other));
    Echo echo = new Echo();
    AuthenticatorChain chain = cached(echo);

    chain.authenticate(TokenReview.builder().token(token).audiences(audiences).build());
    AuthenticationResult answer =
        chain.authenticate(TokenReview.builder().token(other).audiences(audiences).build());

    assertThat(echo.calls).hasValue(2);
    assertThat(answer.user().username()).isEqualTo(other);
  }

  @Property(tries = 300)
  void anotherAudienceListIsNeverAnsweredFromTheCache(
      @ForAll("texts") String token,
      @ForAll("audiences") List<String> audiences,
      @ForAll("texts") String audience,
      @ForAll @IntRange(min = 0, max = 3) int change) {
    List<String> changed = new ArrayList<>(audiences);
    switch (change) {
      case 0 -> changed.add(audience); // one more
      case 1 -> {
        Assume.that(!changed.isEmpty());
        changed.remove(changed.size() - 1); // one less
      }
      case 2 -> {
        Assume.that(!changed.isEmpty() && !changed.get(0).equals(audience));
        changed.set(0, audience); // one different
      }
      default -> {
        Assume.that(changed.size() > 1 && !changed.get(0).equals(changed.get(1)));
        changed.set(0, audiences.get(1)); // two swapped
        changed.set(1, audiences.get(0));
      }
    }
    Echo echo = new Echo();
    AuthenticatorChain chain = cached(echo);

    chain.authenticate(TokenReview.builder().token(token).audiences(audiences).build());
    AuthenticationResult answer =
        chain.authenticate(TokenReview.builder().token(token).audiences(changed).build());

    assertThat(echo.calls).hasValue(2);
    assertThat(answer.audiences()).isEqualTo(changed);
  }

  @Property(tries = 200)
  void theSameTokenAndAudiencesAreAnsweredFromTheCache(
      @ForAll("texts") String token, @ForAll("audiences") List<String> audiences) {
    Echo echo = new Echo();
    AuthenticatorChain chain = cached(echo);

    AuthenticationResult first =
        chain.authenticate(TokenReview.builder().token(token).audiences(audiences).build());
    AuthenticationResult second =
        chain.authenticate(
            TokenReview.builder()
                .token(new String(token))
                .audiences(List.copyOf(audiences))
                .build());

    assertThat(echo.calls).hasValue(1);
    assertThat(second).isEqualTo(first);
  }

  @Property(tries = 100)
  void theTokenAndTheAudiencesCannotBeTradedForEachOther(
      @ForAll("texts") String a, @ForAll("texts") String b) {
    // "ab" + [] and "a" + ["b"] must be different keys (kube-apiserver length-prefixes for this)
    Echo echo = new Echo();
    AuthenticatorChain chain = cached(echo);
    chain.authenticate(TokenReview.builder().token(a + b).build());
    chain.authenticate(TokenReview.builder().token(a).audiences(b).build());
    assertThat(echo.calls).hasValue(2);
  }
}
