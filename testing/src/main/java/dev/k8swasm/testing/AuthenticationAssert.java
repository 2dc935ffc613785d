package dev.k8swasm.testing;

import dev.k8swasm.authn.AuthenticationResult;
import dev.k8swasm.authn.UserInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks an authentication result.
 *
 * <pre>{@code
 * assertThat(policy.authenticate("magic-token"))
 *     .isAuthenticatedAs("magic-user").inGroups("magic-group").withUid("0");
 * assertThat(policy.authenticate("other")).isNotAuthenticated().hasNoErrors();
 * }</pre>
 */
public final class AuthenticationAssert extends AbstractAssert {
  private final AuthenticationResult actual;

  AuthenticationAssert(AuthenticationResult actual, Evidence evidence) {
    super(evidence);
    this.actual = Objects.requireNonNull(actual, "actual");
  }

  /** The result under test. */
  public AuthenticationResult result() {
    return actual;
  }

  /** The token was authenticated. */
  public AuthenticationAssert isAuthenticated() {
    if (!actual.authenticated()) {
      throw failure(
          "Expected the token to be authenticated, but it was not"
              + (actual.errors().isEmpty() ? "" : "; errors: " + actual.errors()));
    }
    return this;
  }

  /** The token was authenticated as {@code username}. */
  public AuthenticationAssert isAuthenticatedAs(String username) {
    if (!actual.authenticated()) {
      throw failure(
          "Expected the token to be authenticated as "
              + Texts.quote(username)
              + ", but it was not authenticated"
              + (actual.errors().isEmpty() ? "" : "; errors: " + actual.errors()),
          username,
          null);
    }
    if (!Objects.equals(username, user().username())) {
      throw failure(
          "Expected the token to be authenticated as another user", username, user().username());
    }
    return this;
  }

  /** The user is in all these groups (and maybe others). */
  public AuthenticationAssert inGroups(String... groups) {
    List<String> have = groups();
    List<String> missing = new ArrayList<>();
    for (String g : groups) {
      if (!have.contains(g)) {
        missing.add(g);
      }
    }
    if (!missing.isEmpty()) {
      throw failure(
          "Expected the user to be in the groups "
              + Texts.quote(List.of(groups))
              + ", but not in "
              + Texts.quote(missing),
          List.of(groups),
          have);
    }
    return this;
  }

  /** The user is in exactly these groups (in any order). */
  public AuthenticationAssert inExactlyGroups(String... groups) {
    List<String> have = groups();
    if (!new HashSet<>(have).equals(Set.of(groups)) || have.size() != groups.length) {
      throw failure("Expected the user to be in exactly these groups", List.of(groups), have);
    }
    return this;
  }

  /** The user has this uid. */
  public AuthenticationAssert withUid(String uid) {
    String have = user().uid();
    if (!Objects.equals(uid, have)) {
      throw failure("Expected another uid of the user", uid, have);
    }
    return this;
  }

  /** The user has the extra attribute {@code key} with exactly these values. */
  public AuthenticationAssert withExtra(String key, String... values) {
    Map<String, List<String>> extra = user().extra();
    List<String> have = extra == null ? null : extra.get(key);
    if (!List.of(values).equals(have)) {
      throw failure(
          "Expected the user's extra attribute " + Texts.quote(key) + " to be different",
          List.of(values),
          have);
    }
    return this;
  }

  /** The token is valid for these audiences (in any order). */
  public AuthenticationAssert withAudiences(String... audiences) {
    isAuthenticated();
    if (!new HashSet<>(actual.audiences()).equals(Set.of(audiences))) {
      throw failure("Expected other audiences", List.of(audiences), actual.audiences());
    }
    return this;
  }

  /** The module that authenticated the token is {@code module}. */
  public AuthenticationAssert authenticatedBy(String module) {
    isAuthenticated();
    if (!Objects.equals(module, actual.authenticatedBy())) {
      throw failure(
          "Expected the token to be authenticated by another module",
          module,
          actual.authenticatedBy());
    }
    return this;
  }

  /** The token was not authenticated (with or without errors). */
  public AuthenticationAssert isNotAuthenticated() {
    if (actual.authenticated()) {
      UserInfo u = actual.user();
      throw failure(
          "Expected the token not to be authenticated, but it was authenticated as "
              + Texts.quote(u.username())
              + " (uid "
              + Texts.quote(u.uid())
              + ", groups "
              + Texts.quote(u.groups())
              + ")"
              + (actual.authenticatedBy() == null ? "" : " by " + actual.authenticatedBy()));
    }
    return this;
  }

  /** An error occurred whose message contains {@code text}. */
  public AuthenticationAssert hasErrorContaining(String text) {
    String errors = actual.errorMessage();
    if (errors == null || !errors.contains(text)) {
      throw failure(
          "Expected an error containing " + Texts.quote(text),
          text,
          errors == null ? "no errors" : errors);
    }
    return this;
  }

  /** No error occurred. */
  public AuthenticationAssert hasNoErrors() {
    if (!actual.errors().isEmpty()) {
      throw failure("Expected no errors, but got: " + actual.errors());
    }
    return this;
  }

  private UserInfo user() {
    isAuthenticated();
    return actual.user();
  }

  private List<String> groups() {
    List<String> groups = user().groups();
    return groups == null ? List.of() : groups;
  }
}
