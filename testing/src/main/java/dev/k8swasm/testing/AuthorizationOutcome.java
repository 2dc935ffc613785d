package dev.k8swasm.testing;

import dev.k8swasm.authz.AuthorizationDecision;
import dev.k8swasm.authz.SubjectAccessReview;
import java.util.List;
import java.util.Objects;

/**
 * The result of authorizing a SubjectAccessReview in a test, with the evidence failure messages
 * show: the request and each module's raw answer. Check it with {@link
 * WasmAssertions#assertThat(AuthorizationOutcome)}.
 */
public final class AuthorizationOutcome {
  private final SubjectAccessReview request;
  private final AuthorizationDecision decision;
  private final List<ModuleCall> calls;

  AuthorizationOutcome(
      SubjectAccessReview request, AuthorizationDecision decision, List<ModuleCall> calls) {
    this.request = request;
    this.decision = Objects.requireNonNull(decision, "decision");
    this.calls = List.copyOf(calls);
  }

  /** The request that was authorized. */
  public SubjectAccessReview request() {
    return request;
  }

  /** The library's decision. */
  public AuthorizationDecision decision() {
    return decision;
  }

  /** What each module was given and answered. */
  public List<ModuleCall> calls() {
    return calls;
  }

  Evidence evidence() {
    return Evidence.of(request, calls);
  }

  @Override
  public String toString() {
    return "AuthorizationOutcome[" + decision + "]";
  }
}
