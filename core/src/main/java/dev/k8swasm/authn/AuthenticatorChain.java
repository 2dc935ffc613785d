package dev.k8swasm.authn;

import dev.k8swasm.internal.Closeables;
import dev.k8swasm.json.Redaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks authenticators in order: the first that authenticates wins; errors are collected and the
 * next one is asked; when none authenticates the result is "not authenticated" with every error.
 * Errors never contain the token under review ({@link Redaction#redact(String, String)}).
 *
 * <p>Immutable and thread-safe: build it once and share it between request threads. Closing it
 * closes the authenticators that are {@link AutoCloseable}; a closed chain throws {@link
 * IllegalStateException} rather than answer "not authenticated", so a use after close is a visible
 * bug, not a quiet refusal. To reload, build a new chain, switch to it, and close the old one when
 * its last evaluation is done.
 */
public final class AuthenticatorChain implements Authenticator, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuthenticatorChain.class);

  private final List<Authenticator> authenticators;
  private volatile boolean closed;

  private AuthenticatorChain(List<Authenticator> authenticators) {
    this.authenticators = List.copyOf(authenticators);
  }

  /** A chain of the given authenticators, in order. */
  public static AuthenticatorChain of(List<? extends Authenticator> authenticators) {
    return new AuthenticatorChain(new ArrayList<>(authenticators));
  }

  /** A builder for a chain. */
  public static Builder builder() {
    return new Builder();
  }

  /** The authenticators, in order. */
  public List<Authenticator> authenticators() {
    return authenticators;
  }

  /**
   * Asks the authenticators in order.
   *
   * @return the first authenticated result, else "not authenticated" with every error; failures of
   *     modules are reported in it, never thrown
   * @throws IllegalStateException when the chain is closed
   */
  @Override
  public AuthenticationResult authenticate(TokenReview review) {
    Objects.requireNonNull(review, "review");
    if (closed) {
      throw new IllegalStateException("the authenticator chain is closed; build a new one");
    }
    List<String> errors = new ArrayList<>();
    for (Authenticator authenticator : authenticators) {
      AuthenticationResult result = authenticator.authenticate(review);
      if (result.authenticated()) {
        if (!errors.isEmpty()) {
          LOG.debug("authenticated after earlier errors: {}", errors);
        }
        return result.withErrors(List.of());
      }
      // whatever an authenticator put into its errors, the token under review never goes further
      result.errors().forEach(e -> errors.add(Redaction.redact(e, review.token())));
    }
    return AuthenticationResult.failed(errors);
  }

  /**
   * Closes the authenticators that are {@link AutoCloseable} (their modules). Evaluations already
   * running finish; later calls of {@link #authenticate} throw {@link IllegalStateException}.
   * Closing twice does nothing more.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Closeables.closeAll(authenticators);
  }

  /** Builds {@link AuthenticatorChain}s. */
  public static final class Builder {
    private final List<Authenticator> authenticators = new ArrayList<>();

    private Builder() {}

    /** Appends an authenticator. */
    public Builder add(Authenticator authenticator) {
      authenticators.add(Objects.requireNonNull(authenticator, "authenticator"));
      return this;
    }

    public AuthenticatorChain build() {
      return new AuthenticatorChain(authenticators);
    }
  }
}
