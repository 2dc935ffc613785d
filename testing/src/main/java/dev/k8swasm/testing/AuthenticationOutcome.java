package dev.k8swasm.testing;

import dev.k8swasm.authn.AuthenticationResult;
import dev.k8swasm.authn.TokenReview;
import java.util.List;
import java.util.Objects;

/**
 * The result of authenticating a TokenReview in a test, with the evidence failure messages show:
 * the request and each module's raw answer. Check it with {@link
 * WasmAssertions#assertThat(AuthenticationOutcome)}.
 */
public final class AuthenticationOutcome {
  private final TokenReview request;
  private final AuthenticationResult result;
  private final List<ModuleCall> calls;

  AuthenticationOutcome(TokenReview request, AuthenticationResult result, List<ModuleCall> calls) {
    this.request = request;
    this.result = Objects.requireNonNull(result, "result");
    this.calls = List.copyOf(calls);
  }

  /** The request that was authenticated (it holds the token). */
  public TokenReview request() {
    return request;
  }

  /** The library's result. */
  public AuthenticationResult result() {
    return result;
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
    return "AuthenticationOutcome[" + result + "]";
  }
}
