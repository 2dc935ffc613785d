package dev.k8swasm.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.json.Json;
import dev.k8swasm.testing.FakeModule;
import dev.k8swasm.testing.JsonArbitraries;
import dev.k8swasm.testing.JsonEdits;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonPatchesTest {
  static final JsonNode DOC =
      FakeModule.parse("{\"a\":{\"b\":1,\"c\":[1,2,3]},\"x/y\":\"slash\",\"m~n\":\"tilde\"}");

  @Test
  void diffOfEqualDocumentsIsEmpty() {
    assertThat(JsonPatches.diff(DOC, DOC.deepCopy())).isEmpty();
  }

  @Test
  void diffEscapesPointerCharacters() {
    ObjectNode changed = DOC.deepCopy();
    changed.put("x/y", "changed").put("m~n", "changed");

    ArrayNode patch = JsonPatches.diff(DOC, changed);

    assertThat(patch.toString()).contains("/x~1y").contains("/m~0n");
    assertThat(JsonPatches.apply(patch, DOC)).isEqualTo(changed);
  }

  @Test
  void applyDoesNotChangeItsTarget() {
    JsonNode before = DOC.deepCopy();

    JsonNode after =
        JsonPatches.apply(FakeModule.parse("[{\"op\":\"remove\",\"path\":\"/a\"}]"), DOC);

    assertThat(DOC).isEqualTo(before);
    assertThat(after.has("a")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[{\"op\":\"add\",\"path\":\"/a/c/-\",\"value\":4}]",
        "[{\"op\":\"add\",\"path\":\"/a/c/0\",\"value\":0}]",
        "[{\"op\":\"replace\",\"path\":\"/a/b\",\"value\":{\"n\":null}}]",
        "[{\"op\":\"remove\",\"path\":\"/a/c/1\"}]",
        "[{\"op\":\"move\",\"from\":\"/a/b\",\"path\":\"/z\"}]",
        "[{\"op\":\"copy\",\"from\":\"/a\",\"path\":\"/z\"}]",
        "[{\"op\":\"test\",\"path\":\"/x~1y\",\"value\":\"slash\"}]",
        "[{\"op\":\"add\",\"path\":\"/a\",\"value\":\"replaced by add\"}]",
        "[]"
      })
  void validPatchesApply(String patch) {
    assertThat(JsonPatches.apply(FakeModule.parse(patch), DOC)).isNotNull();
  }

  @Test
  void patchesApplyInOrder() {
    JsonNode result =
        JsonPatches.apply(
            FakeModule.parse(
                "[{\"op\":\"add\",\"path\":\"/n\",\"value\":[]},"
                    + "{\"op\":\"add\",\"path\":\"/n/-\",\"value\":1},"
                    + "{\"op\":\"move\",\"from\":\"/n\",\"path\":\"/a/n\"}]"),
            DOC);

    assertThat(result.at("/a/n")).isEqualTo(FakeModule.parse("[1]"));
    assertThat(result.has("n")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // RFC 6902 4.2: the target location MUST exist
        "[{\"op\":\"remove\",\"path\":\"/nope\"}]",
        "[{\"op\":\"remove\",\"path\":\"/a/nope\"}]",
        "[{\"op\":\"remove\",\"path\":\"/a/c/7\"}]",
        "[{\"op\":\"replace\",\"path\":\"/nope\",\"value\":1}]",
        "[{\"op\":\"add\",\"path\":\"/nope/deeper\",\"value\":1}]",
        "[{\"op\":\"add\",\"path\":\"/a/c/9\",\"value\":1}]",
        "[{\"op\":\"move\",\"from\":\"/nope\",\"path\":\"/z\"}]",
        "[{\"op\":\"test\",\"path\":\"/a/b\",\"value\":2}]",
        "[{\"op\":\"frobnicate\",\"path\":\"/a\"}]",
        "[{\"op\":\"add\",\"path\":\"/a/x\"}]",
        "[{\"path\":\"/a\"}]",
        "[{\"op\":\"remove\",\"path\":\"\"}]",
        "[{\"op\":\"add\",\"path\":\"/q\",\"value\":1},{\"op\":\"remove\",\"path\":\"/nope\"}]"
      })
  void patchesThatDoNotApplyAreRejected(String patch) {
    assertThatThrownBy(() -> JsonPatches.apply(FakeModule.parse(patch), DOC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("JSONPatch does not apply");
  }

  @Test
  void aPatchMustBeAnArray() {
    assertThatThrownBy(
            () -> JsonPatches.apply(FakeModule.parse("{\"op\":\"remove\",\"path\":\"/a\"}"), DOC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JSON array");
  }

  @Property(tries = 300)
  void applyingTheDiffYieldsExactlyTheTarget(
      @ForAll("objects") ObjectNode from, @ForAll long seed, @ForAll @IntRange(max = 6) int edits) {
    JsonNode to = JsonEdits.edit(from, new Random(seed), edits);

    ArrayNode patch = JsonPatches.diff(from, to);

    assertThat(JsonPatches.apply(patch, from)).isEqualTo(to);
    assertThat(patch.isEmpty()).isEqualTo(from.equals(to));
    patch.forEach(op -> assertThat(op.path("op").asText()).isIn("add", "remove", "replace"));
  }

  @Property(tries = 200)
  void applyingTheDiffOfUnrelatedObjectsYieldsTheTarget(
      @ForAll("objects") ObjectNode from, @ForAll("objects") ObjectNode to) {
    assertThat(JsonPatches.apply(JsonPatches.diff(from, to), from)).isEqualTo(to);
  }

  @Property(tries = 100)
  void theDiffSurvivesSerialisation(
      @ForAll("objects") ObjectNode from, @ForAll long seed, @ForAll @IntRange(max = 6) int edits) {
    JsonNode to = JsonEdits.edit(from, new Random(seed), edits);
    JsonNode sent = Json.readTree(Json.write(JsonPatches.diff(from, to)));

    assertThat(JsonPatches.apply(sent, from)).isEqualTo(to);
  }

  @Provide
  Arbitrary<ObjectNode> objects() {
    return JsonArbitraries.objects(4, JsonArbitraries.shortKeys())
        .map(o -> (ObjectNode) Json.readTree(Json.write(o)));
  }
}
