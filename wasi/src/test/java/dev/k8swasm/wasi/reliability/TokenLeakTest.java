package dev.k8swasm.wasi.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.authn.AuthenticationResult;
import dev.k8swasm.authn.AuthenticatorChain;
import dev.k8swasm.authn.ModuleAuthenticator;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 3, secrets: bearer tokens never appear in logs, exceptions or debug output - also when a
 * careless module repeats the token bare (no {@code "token"} key, no {@code Bearer} in front) on
 * stderr, in its {@code error} or in {@code status.error}: the {@code token_leak} test module does
 * all three, chosen by the token ("...exit...": stderr and exit 1; "...err...": an error answer;
 * otherwise a not-authenticated answer with the token in status.error).
 *
 * <p>slf4j-simple writes to System.err (simplelogger.properties turns on debug for the loggers used
 * here), which the tests capture.
 */
class TokenLeakTest {
  private static final String TABLE = "Secrets: a module that repeats the token bare";

  static {
    ReliabilityReport.columns(TABLE, "path", "where checked", "result");
  }

  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @BeforeEach
  void captureStderr() {
    originalErr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStderr() {
    System.setErr(originalErr);
  }

  private String log() {
    return captured.toString(StandardCharsets.UTF_8);
  }

  /** A token that selects the module's path; long and unique enough to find anywhere. */
  private static String token(String path) {
    return "s3cr3t-" + path + "-Zq8xW2vRt0.JhY_kP";
  }

  private static PolicyModule leaky(String name, boolean debug) {
    return ModuleRuntimes.load(
        ModuleSpec.builder(name)
            .path(Guests.own("token_leak"))
            .limits(Guests.RELAXED)
            .debug(debug)
            .build());
  }

  /**
   * Through ModuleAuthenticator and AuthenticatorChain - the API an API server uses - the token is
   * in no error, status, answer or log line, whichever way the module leaks it.
   */
  @ParameterizedTest
  @ValueSource(strings = {"answer", "err", "exit"})
  void theAuthenticationApiNeverPassesTheTokenOn(String path) {
    String token = token(path);
    TokenReview review = TokenReview.forToken(token, List.of());
    // the module's own debug log is debugLogHasNoBareToken's business: not on here
    try (PolicyModule module = leaky("leaky", false);
        AuthenticatorChain chain =
            AuthenticatorChain.builder()
                .add(ModuleAuthenticator.of(module))
                .add(
                    ModuleAuthenticator.of(
                        Guests.load(
                            Guests.example("magic_authenticator"),
                            Engine.COMPILER,
                            Guests.RELAXED)))
                .build()) {
      AuthenticationResult result = chain.authenticate(review);

      assertThat(result.authenticated()).isFalse();
      assertThat(result.errors()).isNotEmpty();
      assertThat(result.errors()).allSatisfy(e -> assertThat(e).doesNotContain(token));
      assertThat(result.errorMessage()).contains("module 'leaky'", "<redacted>");
      assertThat(Json.writeString(result.respondTo(review))).doesNotContain(token);
      assertThat(Json.writeString(result.toStatus())).doesNotContain(token);
      assertThat(result.toString()).doesNotContain(token);
    }
    assertThat(log()).doesNotContain(token);
    ReliabilityReport.count(TABLE, path, "AuthenticatorChain errors, status, answer", "no token");
  }

  /** The chain's debug log of errors met before a later module authenticated has no token. */
  @ParameterizedTest
  @ValueSource(strings = {"answer", "err", "exit"})
  void errorsLoggedBeforeALaterModuleAuthenticatesHaveNoToken(String path) {
    String token = token(path);
    TokenReview review = TokenReview.forToken(token, List.of());
    try (PolicyModule module = leaky("leaky", false);
        AuthenticatorChain chain =
            AuthenticatorChain.builder()
                .add(ModuleAuthenticator.of(module))
                .add(
                    r ->
                        AuthenticationResult.authenticated(
                            dev.k8swasm.authn.UserInfo.of("someone", "1", List.of()),
                            List.of(),
                            "java"))
                .build()) {
      AuthenticationResult result = chain.authenticate(review);

      assertThat(result.authenticated()).isTrue();
    }
    assertThat(log()).contains("authenticated after earlier errors").doesNotContain(token);
    ReliabilityReport.count(TABLE, path, "AuthenticatorChain debug log", "no token");
  }

  /**
   * Evaluating the module directly: the ModuleException (MODULE_ERROR with the module's error,
   * EXIT_CODE with its stderr) must not carry the token either.
   */
  @ParameterizedTest
  @ValueSource(strings = {"err", "exit"})
  void moduleExceptionsHaveNoBareToken(String path) {
    String token = token(path);
    try (PolicyModule module = leaky("leaky", false)) {
      assertThatThrownBy(
              () -> module.evaluate(ReviewKind.AUTHENTICATION, Guests.tokenReview(token)))
          .isInstanceOfSatisfying(
              ModuleException.class,
              e -> {
                assertThat(e.reason()).isIn(FailureReason.MODULE_ERROR, FailureReason.EXIT_CODE);
                assertThat(e.getMessage()).doesNotContain(token);
              });
    }
  }

  /** The module's debug log (stderr, output envelope) must not carry the bare token. */
  @ParameterizedTest
  @ValueSource(strings = {"answer", "err", "exit"})
  void debugLogHasNoBareToken(String path) {
    String token = token(path);
    try (PolicyModule module = leaky("leaky-debug", true)) {
      try {
        module.evaluate(ReviewKind.AUTHENTICATION, Guests.tokenReview(token));
      } catch (ModuleException expected) {
        // the err and exit paths fail
      }
    }
    assertThat(log()).contains("TokenReview").doesNotContain(token);
  }
}
