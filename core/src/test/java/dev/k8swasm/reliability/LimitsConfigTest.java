package dev.k8swasm.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.k8swasm.config.ConfigException;
import dev.k8swasm.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 3, limits in configuration: a bad value of {@code timeout}, {@code maxMemory}, {@code
 * maxOutput}, {@code maxRequest} or {@code maxCallDepth} is a ConfigException naming the file, the
 * module and the field (the configuration key, not the Java name), and saying what is accepted.
 */
class LimitsConfigTest {
  @TempDir Path dir;

  private ConfigException problems(String field, String value) throws IOException {
    // the module file exists: a missing one would be reported with the limit's problem
    Files.write(dir.resolve("guarded.wasm"), new byte[0]);
    Path file =
        Files.writeString(
            dir.resolve("limits.yaml"),
            "modules:\n- name: guarded\n  module: guarded.wasm\n  " + field + ": " + value + "\n");
    return catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "timeout      | 2x      | invalid duration '2x': use a duration such as 2s",
        "timeout      | '0s'    | invalid duration '0s': must be more than zero",
        "timeout      | -1s     | invalid duration '-1s'",
        "timeout      | 2       | invalid duration '2'",
        "maxMemory    | 12Qi    | invalid size '12Qi': use a quantity such as 64Mi",
        "maxMemory    | '0'     | invalid size '0': must be more than zero",
        "maxMemory    | 1e400Gi | invalid size '1e400Gi'",
        "maxOutput    | -1      | invalid size '-1'",
        "maxOutput    | 0Ki     | invalid size '0Ki': must be more than zero",
        "maxRequest   | lots    | invalid size 'lots'",
        "maxRequest   | '[1]'   | expected a single value",
        "maxCallDepth | deep    | invalid number 'deep': use a whole number above zero",
        "maxCallDepth | '0'     | invalid number '0'",
        "maxCallDepth | 1.5     | invalid number '1.5'",
      })
  void badLimitNamesFileModuleAndField(String field, String value, String message)
      throws IOException {
    ConfigException e = problems(field, value);

    assertThat(e).as("%s: %s is rejected", field, value).isNotNull();
    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p ->
                assertThat(p)
                    .startsWith(
                        dir.resolve("limits.yaml")
                            + ": modules[0] (guarded): field '"
                            + field
                            + "': ")
                    .contains(message));
  }

  @Test
  void aNullRuleIsAProblemNotACrash() throws IOException {
    Files.write(dir.resolve("r.wasm"), new byte[0]);
    Path file =
        Files.writeString(
            dir.resolve("rules.yaml"), "modules:\n- name: r\n  module: r.wasm\n  rules: [~]\n");

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));

    assertThat(e).isNotNull();
    assertThat(e.problems())
        .singleElement()
        .satisfies(p -> assertThat(p).contains("modules[0] (r): field 'rules[0]'", "not a valid"));
  }
}
