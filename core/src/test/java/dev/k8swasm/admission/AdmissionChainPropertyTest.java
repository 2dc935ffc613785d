package dev.k8swasm.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.admission.rules.RuleWithOperations;
import dev.k8swasm.json.Json;
import dev.k8swasm.testing.FakeModule;
import dev.k8swasm.testing.JsonArbitraries;
import dev.k8swasm.testing.JsonEdits;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever a sequence of mutators does (Full patches or JSONPatches, nested objects, arrays), the
 * chain's single patch turns the original object into exactly the final one, each mutator sees the
 * object as left by the one before, and no change means no patch.
 */
class AdmissionChainPropertyTest {

  @Property(tries = 200)
  void theChainsPatchTurnsTheOriginalIntoExactlyTheFinalObject(
      @ForAll("objects") ObjectNode original,
      @ForAll long seed,
      @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 5) Integer> edits,
      @ForAll List<Boolean> useJsonPatch) {
    Random random = new Random(seed);
    List<JsonNode> versions = new ArrayList<>();
    versions.add(original);
    for (int count : edits) {
      versions.add(JsonEdits.edit(versions.get(versions.size() - 1), random, count));
    }
    AdmissionChain.Builder chain = AdmissionChain.builder();
    List<FakeModule> modules = new ArrayList<>();
    for (int i = 1; i < versions.size(); i++) {
      JsonNode before = versions.get(i - 1);
      JsonNode after = versions.get(i);
      boolean jsonPatch = i - 1 < useJsonPatch.size() && useJsonPatch.get(i - 1);
      FakeModule module =
          FakeModule.of(
              "m" + i,
              jsonPatch
                  ? Fixtures.jsonPatch(Json.writeString(JsonPatches.diff(before, after)))
                  : request -> fullPatch(request, after));
      modules.add(module);
      chain.add(
          AdmissionHook.builder(module.name(), ModuleAdmissionController.mutating(module))
              .rules(RuleWithOperations.ALL)
              .build());
    }

    AdmissionResponse response =
        chain.build().admit(Fixtures.review(Fixtures.create(original))).response();

    JsonNode last = versions.get(versions.size() - 1);
    assertThat(response.allowed()).isTrue();
    for (int i = 0; i < modules.size(); i++) {
      assertThat(modules.get(i).onlyRequest().path("request").path("object"))
          .as("object seen by m%d", i + 1)
          .isEqualTo(versions.get(i));
    }
    if (last.equals(original)) {
      assertThat(response.patch()).isNull();
      assertThat(response.patchType()).isNull();
    } else {
      assertThat(response.patchType()).isEqualTo(AdmissionResponse.JSON_PATCH);
      JsonNode patch = Json.readTree(response.patchBytes());
      assertThat(JsonPatches.apply(patch, original)).isEqualTo(last);
    }
  }

  private static JsonNode fullPatch(JsonNode request, JsonNode object) {
    return Fixtures.answer(
        request,
        "\"allowed\":true,\"patchType\":\"Full\",\"patch\":\""
            + Fixtures.base64(Json.write(object))
            + "\"");
  }

  @Provide
  Arbitrary<ObjectNode> objects() {
    return JsonArbitraries.objects(4, JsonArbitraries.shortKeys())
        .map(o -> (ObjectNode) Json.readTree(Json.write(o)));
  }
}
