package dev.k8swasm.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.source.ModuleReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class OciReferencePropertyTest {

  @Provide
  Arbitrary<String> references() {
    Arbitrary<String> host =
        Combinators.combine(
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10),
                Arbitraries.integers().between(1, 65535).injectNull(0.5))
            .as((h, port) -> port == null ? h + ".example" : "127.0.0.1:" + port);
    Arbitrary<String> component =
        Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(8);
    Arbitrary<String> repo =
        component.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("/", l));
    Arbitrary<String> tag =
        Arbitraries.strings()
            .alpha()
            .numeric()
            .withChars('.', '-', '_')
            .ofMinLength(1)
            .ofMaxLength(20)
            .filter(t -> Character.isLetterOrDigit(t.charAt(0)) || t.charAt(0) == '_')
            .injectNull(0.3);
    Arbitrary<String> digest =
        Arbitraries.strings()
            .withChars("0123456789abcdef")
            .ofLength(64)
            .map(h -> "sha256:" + h)
            .injectNull(0.5);
    return Combinators.combine(host, repo, tag, digest)
        .as(
            (h, r, t, d) ->
                "registry://"
                    + h
                    + "/"
                    + r
                    + (t == null ? "" : ":" + t)
                    + (d == null ? "" : "@" + d));
  }

  @Property
  void wellFormedReferencesRoundTripAndKeepTheirSlashes(@ForAll("references") String text) {
    OciReference ref = OciReference.parse(text);
    assertThat(OciReference.parse(ref.toString())).isEqualTo(ref);
    assertThat(ref.toString()).startsWith("registry://" + ref.registry() + "/" + ref.repository());
    assertThat(ModuleReference.parse(text).text()).isEqualTo(text);
    assertThat(ModuleReference.parse(text).scheme()).isEqualTo("registry");
    assertThat(ref.manifestReference())
        .isEqualTo(ref.digest().orElseGet(() -> ref.tag().orElseThrow()));
  }

  @Property
  void anythingElseIsRefusedWithAMessageNotACrash(@ForAll String junk) {
    String text = "registry://" + junk;
    try {
      OciReference ref = OciReference.parse(text);
      assertThat(ref.repository()).doesNotContain("..");
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
    }
    assertThatThrownBy(() -> OciReference.parse("https://" + junk))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
