package dev.k8swasm.authz;

import dev.k8swasm.internal.Closeables;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Asks authorizers in order, as Kubernetes' union authorizer does: the first allow or deny wins
 * (with that authorizer's reason and error); no opinion moves on; when every authorizer has no
 * opinion, the reasons are joined by newlines and the errors by "; ". Immutable and thread-safe;
 * closing it closes the authorizers that are {@link AutoCloseable}.
 */
public final class AuthorizerChain implements Authorizer, AutoCloseable {
  private final List<Authorizer> authorizers;

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

  @Override
  public AuthorizationDecision authorize(SubjectAccessReview review) {
    Objects.requireNonNull(review, "review");
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

  @Override
  public void close() {
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
