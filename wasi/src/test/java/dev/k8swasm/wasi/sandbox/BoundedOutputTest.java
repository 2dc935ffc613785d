package dev.k8swasm.wasi.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedOutputTest {

  @Test
  void collectsUpToTheLimit() {
    BoundedOutput out = new BoundedOutput("stdout", 1000);
    byte[] chunk = "x".repeat(300).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    for (int i = 0; i < 3; i++) {
      out.write(chunk, 0, chunk.length);
    }
    out.write('y');

    assertThat(out.size()).isEqualTo(901);
    assertThat(out.text()).endsWith("xy");
  }

  @Test
  void keepsWhatFitsAndThrowsPastTheLimit() {
    BoundedOutput out = new BoundedOutput("stderr", 10);

    assertThatThrownBy(() -> out.write("0123456789abc".getBytes(StandardCharsets.UTF_8), 0, 13))
        .isInstanceOfSatisfying(
            OutputLimitExceededException.class,
            e -> {
              assertThat(e.stream()).isEqualTo("stderr");
              assertThat(e.limit()).isEqualTo(10);
            });
    assertThat(out.text()).isEqualTo("0123456789");
    assertThatThrownBy(() -> out.write('z')).isInstanceOf(OutputLimitExceededException.class);
  }

  @Test
  void closingKeepsTheBytes() {
    BoundedOutput out = new BoundedOutput("stdout", 10);
    out.write('a');
    out.close();

    assertThat(out.toByteArray()).containsExactly('a');
  }
}
