package dev.k8swasm.testing;

import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.authn.TokenReviewSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds TokenReview requests.
 *
 * <pre>{@code
 * TokenReview review = TokenReviews.forToken("magic-token").audiences("api").build();
 * }</pre>
 */
public final class TokenReviews {
  private TokenReviews() {}

  /** A v1 TokenReview of {@code token}. */
  public static Builder forToken(String token) {
    return new Builder(Objects.requireNonNull(token, "token"));
  }

  /** Builds a {@link TokenReview}. */
  public static final class Builder {
    private final String token;
    private final List<String> audiences = new ArrayList<>();
    private String apiVersion = TokenReview.V1;

    private Builder(String token) {
      this.token = token;
    }

    /** The audiences the token must be valid for (default: none, i.e. the server's own). */
    public Builder audiences(String... audiences) {
      this.audiences.addAll(List.of(audiences));
      return this;
    }

    /** Sends {@code authentication.k8s.io/v1beta1} instead of {@code v1}. */
    public Builder v1beta1() {
      this.apiVersion = TokenReview.V1BETA1;
      return this;
    }

    /** The TokenReview. */
    public TokenReview build() {
      return new TokenReview(
          apiVersion,
          TokenReview.KIND,
          null,
          new TokenReviewSpec(token, audiences.isEmpty() ? null : List.copyOf(audiences), null),
          null,
          null);
    }

    @Override
    public String toString() {
      return "TokenReviews.forToken(<redacted>)"
          + (audiences.isEmpty() ? "" : ".audiences" + audiences);
    }
  }
}
