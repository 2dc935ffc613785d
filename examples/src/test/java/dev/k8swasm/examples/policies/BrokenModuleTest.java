package dev.k8swasm.examples.policies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Breaking a magic module makes its example tests fail with a message that says what differed.
 *
 * <p>Each case changes {@code magic_validator.wasm} the way a careless edit of its source would (a
 * different message, a misspelt key), puts it where the example tests look for it (a project
 * directory of its own, given to the tests as {@code basedir}), runs the example test classes
 * unchanged, and checks their failure messages.
 */
class BrokenModuleTest {
  private static final Path VALIDATOR = Path.of("modules", "magic_validator.wasm");

  /** The example test classes run against {@code module} instead of the real validator. */
  private static List<String> failuresWith(byte[] module, Path projectDir, Class<?>... tests)
      throws IOException {
    Files.createDirectories(projectDir.resolve("modules"));
    Files.write(projectDir.resolve(VALIDATOR), module);
    String basedir = System.getProperty("basedir");
    System.setProperty("basedir", projectDir.toString());
    List<String> failures = new ArrayList<>();
    try {
      for (Class<?> test : tests) {
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(test))
            .execute()
            .allEvents()
            .failed()
            .stream()
            .map(Event::getPayload)
            .forEach(
                p ->
                    p.map(TestExecutionResult.class::cast)
                        .flatMap(TestExecutionResult::getThrowable)
                        .ifPresent(t -> failures.add(String.valueOf(t.getMessage()))));
      }
    } finally {
      if (basedir == null) {
        System.clearProperty("basedir");
      } else {
        System.setProperty("basedir", basedir);
      }
    }
    return failures;
  }

  /** The validator with {@code from} replaced by {@code to} (same length) in its data. */
  private static byte[] validatorWith(String from, String to) throws IOException {
    byte[] bytes = Files.readAllBytes(VALIDATOR);
    byte[] a = from.getBytes(StandardCharsets.US_ASCII);
    byte[] b = to.getBytes(StandardCharsets.US_ASCII);
    assertThat(b).hasSameSizeAs(a);
    int found = -1;
    for (int i = 0; i + a.length <= bytes.length; i++) {
      if (Arrays.equals(bytes, i, i + a.length, a, 0, a.length)) {
        assertThat(found).as("'%s' occurs once in the module", from).isEqualTo(-1);
        found = i;
      }
    }
    assertThat(found).as("'%s' occurs in the module", from).isNotNegative();
    System.arraycopy(b, 0, bytes, found, b.length);
    return bytes;
  }

  @Test
  void theRealModulePasses(@TempDir Path dir) throws IOException {
    assertThat(
            failuresWith(
                Files.readAllBytes(VALIDATOR),
                dir,
                MagicValidatorTest.class,
                MagicValidatorCasesTest.class))
        .isEmpty();
  }

  @Test
  void aChangedMessageIsShownNextToTheExpectedOne(@TempDir Path dir) throws IOException {
    byte[] broken = validatorWith("not allowed in configmap", "NOT allowed in configmap");
    List<String> failures =
        failuresWith(broken, dir, MagicValidatorTest.class, MagicValidatorCasesTest.class);

    // the README test: withMessageContaining("not allowed")
    assertThat(failures)
        .anySatisfy(
            m ->
                assertThat(m)
                    .startsWith("Expected a status message containing \"not allowed\"")
                    .contains("expected: \"not allowed\"")
                    .contains("but was:  \"value 'not-allowed-value' NOT allowed in configmap\"")
                    // and what the module answered, raw
                    .contains("and answered (raw response):")
                    .contains(
                        "\"message\" : \"value 'not-allowed-value' NOT allowed in configmap\""));
    // the detailed test: withMessage(...)
    assertThat(failures)
        .anySatisfy(
            m ->
                assertThat(m)
                    .startsWith("Expected another status message")
                    .contains("expected: \"value 'not-allowed-value' not allowed in configmap\"")
                    .contains("but was:  \"value 'not-allowed-value' NOT allowed in configmap\""));
  }

  @Test
  void aMisspeltKeyShowsThatTheRequestWasAllowed(@TempDir Path dir) throws IOException {
    byte[] broken = validatorWith("not-allowed-value\0", "not-allowed-valve\0");
    List<String> failures = failuresWith(broken, dir, MagicValidatorTest.class);
    assertThat(failures)
        .singleElement()
        .asString()
        .startsWith("Expected the request to be denied, but it was allowed")
        .contains("\"not-allowed-value\" : \"x\"") // the request
        .contains("\"allowed\" : true"); // the module's raw answer
  }
}
