package dev.k8swasm.examples.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EmbeddingExampleTest {

  @Test
  void runsAndPrintsEveryDecision() {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      EmbeddingExample.main(new String[] {"config"});
    } finally {
      System.setOut(out);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            "authenticated as magic-user [magic-group]",
            "list configmaps: ALLOW (magic-group may access configmaps)",
            "create configmap: allowed=true",
            "patch: [{\"op\":\"add\",\"path\":\"/data/magic-value\",\"value\":\"foobar\"}]");
  }
}
