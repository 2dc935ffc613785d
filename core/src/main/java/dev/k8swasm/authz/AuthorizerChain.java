package dev.k8swasm.authz;

import dev.k8swasm.internal.Closeables;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Asks authorizers in order, as Kubernetes' union authorizer does: the first allow or deny wins
 * (with that authorizer's reason and error); no opinion moves on; when every authorizer has no
 * opinion, the reasons are joined by newlines and the errors by "; ".
 *
 * <p>Immutable and thread-safe: build it once and share it between request threads. Closing it
 * closes the authorizers that are {@link AutoCloseable}; a closed chain throws {@link
 * IllegalStateException} rather than decide (a module's failure policy must not turn a use after
 * close into a quiet "no opinion" or "deny").
 */
public final class AuthorizerChain implements Authorizer, AutoCloseable {
  private final List<Authorizer> authorizers;
  private volatile boolean closed;

  private AuthorizerChain(List<Authorizer> authorizers) {
    this.authorizers = List.copyOf(authorizers);
  }

  /** A chain of the given authorizers, in order. */
  public static AuthorizerChain of(List<? extends Authorizer> authorizers) {
    return new AuthorizerChain(new ArrayList<>(authorizers));
  }

  /** A builder for a chain. */
  public static Builder builder() {
    return new Builder();
  }

  /** The authorizers, in order. */
  public List<Authorizer> authorizers() {
    return authorizers;
  }

  /**
   * Asks the authorizers in order.
   *
   * @return the first allow or deny, else no opinion; failures of modules are decided by their
   *     failure policy, never thrown
   * @throws IllegalStateException when the chain is closed
   */
  @Override
  public AuthorizationDecision authorize(SubjectAccessReview review) {
    Objects.requireNonNull(review, "review");
    if (closed) {
      throw new IllegalStateException("the authorizer chain is closed; build a new one");
    }
    List<String> reasons = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (Authorizer authorizer : authorizers) {
      AuthorizationDecision decision = authorizer.authorize(review);
      if (decision.decision() != AuthorizationDecision.Decision.NO_OPINION) {
        return decision;
      }
      if (!decision.reason().isEmpty()) {
        reasons.add(decision.reason());
      }
      if (decision.evaluationError() != null) {
        errors.add(decision.evaluationError());
      }
    }
    return AuthorizationDecision.noOpinion(String.join("\n", reasons))
        .withError(errors.isEmpty() ? null : String.join("; ", errors));
  }

  /**
   * Closes the authorizers that are {@link AutoCloseable} (their modules). Evaluations already
   * running finish; later calls of {@link #authorize} throw {@link IllegalStateException}. Closing
   * twice does nothing more.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Closeables.closeAll(authorizers);
  }

  /** Builds {@link AuthorizerChain}s. */
  public static final class Builder {
    private final List<Authorizer> authorizers = new ArrayList<>();

    private Builder() {}

    /** Appends an authorizer. */
    public Builder add(Authorizer authorizer) {
      authorizers.add(Objects.requireNonNull(authorizer, "authorizer"));
      return this;
    }

    public AuthorizerChain build() {
      return new AuthorizerChain(authorizers);
    }
  }
}
