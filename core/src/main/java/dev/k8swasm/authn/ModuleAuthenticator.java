package dev.k8swasm.authn;

import dev.k8swasm.internal.ModuleCalls;
import dev.k8swasm.json.Redaction;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import dev.k8swasm.observe.EvaluationDecision;
import dev.k8swasm.observe.EvaluationListener;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An {@link Authenticator} that asks one module, mapping its TokenReview status the way
 * kube-apiserver maps a token webhook's answer:
 *
 * <ol>
 *   <li>when audiences were requested, they are intersected with the module's {@code
 *       status.audiences}, or, when the module returned none, with the implicit audiences (when no
 *       implicit audiences are configured the module vouches for the requested ones); an empty
 *       intersection means not authenticated;
 *   <li>{@code authenticated:false} with an {@code error} is an error;
 *   <li>{@code authenticated:false} otherwise is not authenticated;
 *   <li>otherwise the user is {@code status.user}, {@code extra} included.
 * </ol>
 *
 * Error messages never contain the token under review, even when the module repeated it: they are
 * redacted with {@link Redaction#redact(String, String)}.
 *
 * <p>Thread-safe: evaluations run concurrently, each in a fresh module state. Closing it closes the
 * module; afterwards every result is "not authenticated" with the module's {@code CLOSED} error
 * (use it through an {@link AuthenticatorChain}, which refuses to run once closed).
 */
public final class ModuleAuthenticator implements Authenticator, AutoCloseable {
  private final PolicyModule module;
  private final List<String> implicitAudiences;
  private final EvaluationListener listener;

  private ModuleAuthenticator(Builder b) {
    this.module = b.module;
    this.implicitAudiences = List.copyOf(b.implicitAudiences);
    this.listener = b.listener;
  }

  /** An authenticator asking {@code module}, with no implicit audiences and no listener. */
  public static ModuleAuthenticator of(PolicyModule module) {
    return builder(module).build();
  }

  /** A builder for an authenticator asking {@code module}. */
  public static Builder builder(PolicyModule module) {
    return new Builder(module);
  }

  /** The module's name. */
  public String name() {
    return module.name();
  }

  @Override
  public AuthenticationResult authenticate(TokenReview review) {
    Objects.requireNonNull(review, "review");
    long start = System.nanoTime();
    AuthenticationResult result;
    FailureReason failure = null;
    try {
      result = map(review, ask(review));
    } catch (ModuleException e) {
      failure = e.reason();
      // a module may have repeated the token bare (on stderr, in its error): never pass it on
      result =
          AuthenticationResult.failed(List.of(Redaction.redact(e.getMessage(), review.token())));
    }
    EvaluationDecision decision =
        failure != null
            ? EvaluationDecision.ERROR
            : result.authenticated()
                ? EvaluationDecision.AUTHENTICATED
                : EvaluationDecision.UNAUTHENTICATED;
    EvaluationListener.report(
        listener, module.name(), ReviewKind.AUTHENTICATION, decision, start, failure);
    return result;
  }

  private TokenReviewStatus ask(TokenReview review) {
    TokenReview v1 =
        new TokenReview(
            TokenReview.V1,
            TokenReview.KIND,
            review.metadata(),
            review.spec(),
            null,
            review.additionalProperties());
    TokenReview answer =
        ModuleCalls.ask(module, ReviewKind.AUTHENTICATION, v1, TokenReview.class, "a TokenReview");
    if (answer.status() == null) {
      throw new ModuleException(module.name(), FailureReason.BAD_OUTPUT, "response has no status");
    }
    return answer.status();
  }

  private AuthenticationResult map(TokenReview review, TokenReviewStatus status) {
    List<String> wanted = review.audiences();
    List<String> audiences = List.of();
    if (!wanted.isEmpty()) {
      List<String> offered = status.audiences() == null ? List.of() : status.audiences();
      if (offered.isEmpty()) {
        offered = implicitAudiences.isEmpty() ? wanted : implicitAudiences;
      }
      audiences = intersect(wanted, offered);
      if (audiences.isEmpty()) {
        return AuthenticationResult.unauthenticated();
      }
    }
    if (!status.authenticatedOrFalse()) {
      if (status.error() != null && !status.error().isEmpty()) {
        return AuthenticationResult.failed(
            List.of(
                "module '"
                    + module.name()
                    + "': "
                    + Redaction.redact(status.error(), review.token())));
      }
      return AuthenticationResult.unauthenticated();
    }
    if (status.user() == null) {
      throw new ModuleException(
          module.name(), FailureReason.BAD_OUTPUT, "authenticated without status.user");
    }
    return AuthenticationResult.authenticated(status.user(), audiences, module.name());
  }

  private static List<String> intersect(List<String> a, List<String> b) {
    if (a.size() == 1 && b.size() == 1) {
      // the usual case, one audience asked and one offered, without the sets (nulls fail alike)
      String asked = Objects.requireNonNull(a.get(0));
      return asked.equals(Objects.requireNonNull(b.get(0))) ? List.of(asked) : List.of();
    }
    Set<String> in = new LinkedHashSet<>(a);
    in.retainAll(Set.copyOf(b));
    return new ArrayList<>(in);
  }

  @Override
  public void close() {
    module.close();
  }

  @Override
  public String toString() {
    return "ModuleAuthenticator[" + module.name() + "]";
  }

  /** Builds {@link ModuleAuthenticator}s. */
  public static final class Builder {
    private final PolicyModule module;
    private List<String> implicitAudiences = List.of();
    private EvaluationListener listener = EvaluationListener.NONE;

    private Builder(PolicyModule module) {
      this.module = Objects.requireNonNull(module, "module");
    }

    /** The server's own audiences, used when a module returns none. */
    public Builder implicitAudiences(List<String> implicitAudiences) {
      this.implicitAudiences = List.copyOf(implicitAudiences);
      return this;
    }

    public Builder listener(EvaluationListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public ModuleAuthenticator build() {
      return new ModuleAuthenticator(this);
    }
  }
}
