package dev.k8swasm.authz;

import dev.k8swasm.internal.ModuleCalls;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import dev.k8swasm.observe.EvaluationDecision;
import dev.k8swasm.observe.EvaluationListener;
import java.util.Objects;

/**
 * An {@link Authorizer} that asks one module. The module always receives the v1 form of the review
 * ({@code spec.groups}); its status maps as kube-apiserver maps an authorization webhook's: allowed
 * and denied both set = deny with an error; denied = deny; allowed = allow; neither = no opinion.
 * {@code status.evaluationError} is passed on as an error. When the module fails, the {@link
 * AuthorizationFailurePolicy} decides (default: no opinion with the error).
 *
 * <p>Thread-safe: evaluations run concurrently, each in a fresh module state. Closing it closes the
 * module; afterwards the failure policy decides every request with the module's {@code CLOSED}
 * error (use it through an {@link AuthorizerChain}, which refuses to run once closed).
 */
public final class ModuleAuthorizer implements Authorizer, AutoCloseable {
  private final PolicyModule module;
  private final AuthorizationFailurePolicy failurePolicy;
  private final EvaluationListener listener;

  private ModuleAuthorizer(Builder b) {
    this.module = b.module;
    this.failurePolicy = b.failurePolicy;
    this.listener = b.listener;
  }

  /** An authorizer asking {@code module} with failure policy NoOpinion. */
  public static ModuleAuthorizer of(PolicyModule module) {
    return builder(module).build();
  }

  /** A builder for an authorizer asking {@code module}. */
  public static Builder builder(PolicyModule module) {
    return new Builder(module);
  }

  /** The module's name. */
  public String name() {
    return module.name();
  }

  @Override
  public AuthorizationDecision authorize(SubjectAccessReview review) {
    Objects.requireNonNull(review, "review");
    long start = System.nanoTime();
    AuthorizationDecision decision;
    FailureReason failure = null;
    try {
      decision = map(ask(review));
    } catch (ModuleException e) {
      failure = e.reason();
      decision =
          failurePolicy == AuthorizationFailurePolicy.DENY
              ? AuthorizationDecision.deny("", module.name()).withError(e.getMessage())
              : AuthorizationDecision.noOpinion("").withError(e.getMessage());
    }
    EvaluationListener.report(
        listener,
        module.name(),
        ReviewKind.AUTHORIZATION,
        failure != null ? EvaluationDecision.ERROR : decision(decision.decision()),
        start,
        failure);
    return decision;
  }

  private static EvaluationDecision decision(AuthorizationDecision.Decision d) {
    return switch (d) {
      case ALLOW -> EvaluationDecision.ALLOW;
      case DENY -> EvaluationDecision.DENY;
      case NO_OPINION -> EvaluationDecision.NO_OPINION;
    };
  }

  private SubjectAccessReviewStatus ask(SubjectAccessReview review) {
    SubjectAccessReview v1 = review.toV1().withStatus(null);
    SubjectAccessReview answer =
        ModuleCalls.ask(
            module,
            ReviewKind.AUTHORIZATION,
            v1,
            SubjectAccessReview.class,
            "a SubjectAccessReview");
    if (answer.status() == null) {
      throw new ModuleException(module.name(), FailureReason.BAD_OUTPUT, "response has no status");
    }
    return answer.status();
  }

  private AuthorizationDecision map(SubjectAccessReviewStatus status) {
    boolean allowed = Boolean.TRUE.equals(status.allowed());
    boolean denied = Boolean.TRUE.equals(status.denied());
    String error =
        status.evaluationError() == null || status.evaluationError().isEmpty()
            ? null
            : "module '" + module.name() + "': " + status.evaluationError();
    AuthorizationDecision decision;
    if (allowed && denied) {
      decision =
          AuthorizationDecision.deny(status.reason(), module.name())
              .withError(
                  "module '"
                      + module.name()
                      + "' returned both allow and deny"
                      + (error == null ? "" : "; " + error));
      return decision;
    } else if (denied) {
      decision = AuthorizationDecision.deny(status.reason(), module.name());
    } else if (allowed) {
      decision = AuthorizationDecision.allow(status.reason(), module.name());
    } else {
      decision = AuthorizationDecision.noOpinion(status.reason());
    }
    return error == null ? decision : decision.withError(error);
  }

  @Override
  public void close() {
    module.close();
  }

  @Override
  public String toString() {
    return "ModuleAuthorizer[" + module.name() + "]";
  }

  /** Builds {@link ModuleAuthorizer}s. */
  public static final class Builder {
    private final PolicyModule module;
    private AuthorizationFailurePolicy failurePolicy = AuthorizationFailurePolicy.NO_OPINION;
    private EvaluationListener listener = EvaluationListener.NONE;

    private Builder(PolicyModule module) {
      this.module = Objects.requireNonNull(module, "module");
    }

    /** What a module failure means (default NoOpinion). */
    public Builder failurePolicy(AuthorizationFailurePolicy failurePolicy) {
      this.failurePolicy = Objects.requireNonNull(failurePolicy, "failurePolicy");
      return this;
    }

    public Builder listener(EvaluationListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public ModuleAuthorizer build() {
      return new ModuleAuthorizer(this);
    }
  }
}
