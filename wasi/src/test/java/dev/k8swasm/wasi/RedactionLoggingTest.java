package dev.k8swasm.wasi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.module.Engine;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bearer tokens never reach the log or exception messages, even in debug mode and even when a
 * module echoes them. slf4j-simple writes to System.err (see simplelogger.properties), which the
 * tests capture.
 */
class RedactionLoggingTest {
  private static final String SECRET = "s3cr3t-T0KEN.value_x9";

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

  private static PolicyModule load(String name, Path path) {
    return TestModules.load(
        ModuleSpec.builder(name)
            .path(path)
            .engine(Engine.COMPILER)
            .limits(TestModules.RELAXED)
            .debug(true)
            .build());
  }

  @Test
  void debugLogOfAnAuthenticationHasNoToken() {
    try (PolicyModule module = load("debug-authn", TestModules.example("magic_authenticator"))) {
      // the module copies spec (with the token) into its response: input and output hold it
      module.evaluate(ReviewKind.AUTHENTICATION, Requests.tokenReview(SECRET));
    }

    assertThat(log())
        .contains("TokenReview input", "TokenReview output", "\"token\":\"<redacted>\"")
        .doesNotContain(SECRET);
  }

  @Test
  void debugLogOfBearerHeadersInRequestsHasNoToken() {
    String request =
        "{\"request\":{\"annotations\":{\"note\":\"Authorization: Bearer "
            + SECRET
            + "\"},\"nested\":\"{\\\"token\\\":\\\""
            + SECRET
            + "\\\"}\"}}";
    try (PolicyModule module = load("debug-echo", TestModules.own("echo"))) {
      module.evaluate(ReviewKind.ADMISSION, TestModules.utf8(request));
    }

    assertThat(log()).contains("AdmissionReview input", "Bearer <redacted>").doesNotContain(SECRET);
  }

  @Test
  void echoedTokensAreRedactedFromStderrLogsAndMessages() {
    try (PolicyModule module = load("debug-stderr", TestModules.own("stderr_echo"))) {
      assertThatThrownBy(
              () -> module.evaluate(ReviewKind.AUTHENTICATION, Requests.tokenReview(SECRET)))
          .isInstanceOfSatisfying(
              ModuleException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(FailureReason.EXIT_CODE);
                assertThat(e.getMessage())
                    .contains("exited with code 1", "stderr:", "<redacted>")
                    .doesNotContain(SECRET);
              });
    }

    assertThat(log()).contains("TokenReview stderr").doesNotContain(SECRET);
  }

  @Test
  void stderrIsNotLoggedForModulesWhoseDebugLogIsOff() {
    PolicyModule module =
        TestModules.shared(TestModules.hostile("stderr_then_exit1"), Engine.COMPILER);
    assertThatThrownBy(() -> module.evaluate(ReviewKind.AUTHENTICATION, Requests.tokenReview("t")))
        .isInstanceOf(ModuleException.class);

    assertThat(log()).doesNotContain("something went wrong on stderr");
  }
}
