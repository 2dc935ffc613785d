package dev.k8swasm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DecisionKeyTest {
  final DecisionKey.Hasher hasher = new DecisionKey.Hasher();

  @Test
  void equalDocumentsGiveEqualKeysWhateverTheOrderOfTheirMaps() {
    Map<String, Object> ab = new LinkedHashMap<>();
    ab.put("a", 1);
    ab.put("b", List.of("x"));
    Map<String, Object> ba = new LinkedHashMap<>();
    ba.put("b", List.of("x"));
    ba.put("a", 1);

    assertThat(hasher.key("t", ab)).isEqualTo(hasher.key("t", ba));
    assertThat(hasher.key("t", ab).hashCode()).isEqualTo(hasher.key("t", ba).hashCode());
  }

  @Test
  void textsThatAnEncoderWouldConfuseGiveDifferentKeys() {
    // '?' and lone surrogates (one byte '?' in UTF-8), and characters whose bytes look alike
    List<String> texts =
        List.of(
            "?",
            "\uD800",
            "\uD801",
            "\uDC00",
            "\u00FF",
            "\u00FF\u0000",
            "\u0000\u00FF",
            "ÿ?",
            "\uFFFF",
            "\u0080",
            "");
    Set<DecisionKey> asDocuments = new HashSet<>();
    Set<DecisionKey> asSecrets = new HashSet<>();
    for (String t : texts) {
      asDocuments.add(hasher.key(null, Map.of("v", t)));
      asSecrets.add(hasher.key(t, Map.of()));
    }
    assertThat(asDocuments).hasSize(texts.size());
    assertThat(asSecrets).hasSize(texts.size());
  }

  @Test
  void theSecretAndTheDocumentCannotBeTradedForEachOther() {
    assertThat(hasher.key("ab", "c")).isNotEqualTo(hasher.key("a", "bc"));
    assertThat(hasher.key(null, "x")).isNotEqualTo(hasher.key("", "x"));
  }

  @Test
  void keysOfAnotherHasherDifferAndShowNothing() {
    DecisionKey mine = hasher.key("token-123456", Map.of("user", "alice"));
    DecisionKey theirs = new DecisionKey.Hasher().key("token-123456", Map.of("user", "alice"));
    assertThat(mine).isNotEqualTo(theirs);
    assertThat(mine).hasToString("DecisionKey[hmac-sha256]");
  }
}
