package dev.k8swasm.wasi.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MessagesTest {

  @Test
  void excerptsAreRedactedEscapedAndCut() {
    assertThat(Messages.excerpt("a\tb\r\nc\u0000\u2028", 100))
        .isEqualTo("a\\tb\\r\\nc\\u0000\\u2028");
    assertThat(Messages.excerpt("Bearer abc", 100)).isEqualTo("Bearer <redacted>");
    assertThat(Messages.excerpt("0123456789", 4)).isEqualTo("0123... (6 more characters)");
  }

  @Test
  void excerptsDoNotSplitSurrogatePairs() {
    String text = "ab\uD83D\uDE00cd";

    assertThat(Messages.excerpt(text, 3)).startsWith("ab...");
  }

  @Test
  void durationsReadNaturally() {
    assertThat(Messages.duration(Duration.ofMillis(200))).isEqualTo("200ms");
    assertThat(Messages.duration(Duration.ofSeconds(2))).isEqualTo("2s");
    assertThat(Messages.duration(Duration.ofMillis(1500))).isEqualTo("1.500s");
  }
}
