package dev.k8swasm.authz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.k8swasm.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * A cached authorization decision never answers for another SubjectAccessReview: a review that
 * differs from a cached one in any single field (user, uid, a group, extra, any resource or
 * non-resource attribute, a field or label selector, apiVersion, an unknown field...) is evaluated,
 * and answered with its own decision; a review equal to a cached one is answered from the cache.
 */
class AuthorizationCachePropertyTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** Strings with the characters that break naive keys: quotes, separators, lone surrogates. */
  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(6),
        Arbitraries.strings().withChars("a?,:\"\\{}[]\u0000é\uD800\uDC00\uD801").ofMaxLength(4));
  }

  Arbitrary<List<String>> textLists() {
    return texts().list().ofMaxSize(3);
  }

  Arbitrary<SelectorAttributes> selectors() {
    Arbitrary<SelectorRequirement> requirement =
        Combinators.combine(texts(), Arbitraries.of("In", "NotIn", "Exists"), textLists())
            .as((k, o, v) -> new SelectorRequirement(k, o, v, null));
    return Combinators.combine(texts().injectNull(0.3), requirement.list().ofMaxSize(2))
        .as((raw, reqs) -> new SelectorAttributes(raw, reqs, null))
        .injectNull(0.4);
  }

  Arbitrary<ResourceAttributes> resources() {
    Arbitrary<List<String>> basics = texts().list().ofSize(7);
    return Combinators.combine(basics, selectors(), selectors())
        .as(
            (b, field, label) ->
                new ResourceAttributes(
                    b.get(0), b.get(1), b.get(2), b.get(3), b.get(4), b.get(5), b.get(6), field,
                    label, null));
  }

  Arbitrary<NonResourceAttributes> nonResources() {
    return Combinators.combine(texts(), texts()).as(NonResourceAttributes::of);
  }

  Arbitrary<Map<String, List<String>>> extras() {
    return Arbitraries.maps(texts(), textLists()).ofMaxSize(2).injectNull(0.3);
  }

  /** Fields this library does not model (kept in records' additionalProperties), or none. */
  Arbitrary<Map<String, JsonNode>> unknownFields() {
    Arbitrary<JsonNode> values =
        Arbitraries.oneOf(
            texts().map(TextNode::valueOf),
            Arbitraries.maps(texts(), texts().map(t -> (JsonNode) TextNode.valueOf(t)))
                .ofMaxSize(3)
                .map(m -> (JsonNode) F.objectNode().setAll(m)));
    return Arbitraries.maps(texts().map(t -> "x-" + t), values).ofMaxSize(3).injectNull(0.5);
  }

  @Provide
  Arbitrary<SubjectAccessReview> reviews() {
    Arbitrary<Object> attributes = Arbitraries.oneOf(resources(), nonResources());
    return Combinators.combine(
            Arbitraries.of(SubjectAccessReview.V1, SubjectAccessReview.V1BETA1),
            texts(),
            textLists(),
            texts().injectNull(0.3),
            extras(),
            attributes,
            unknownFields())
        .as(
            (version, user, groups, uid, extra, attrs, unknown) -> {
              boolean v1 = version.equals(SubjectAccessReview.V1);
              SubjectAccessReviewSpec spec =
                  new SubjectAccessReviewSpec(
                      attrs instanceof ResourceAttributes r ? r : null,
                      attrs instanceof NonResourceAttributes n ? n : null,
                      user,
                      v1 ? groups : null,
                      v1 ? null : groups,
                      extra,
                      uid,
                      unknown);
              return new SubjectAccessReview(
                  version, SubjectAccessReview.KIND, null, spec, null, unknown);
            });
  }

  /** Answers with the JSON of the review it was asked about, and counts its calls. */
  static final class Echo implements Authorizer {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public AuthorizationDecision authorize(SubjectAccessReview review) {
      calls.incrementAndGet();
      return AuthorizationDecision.allow(Json.writeString(review), "echo");
    }
  }

  @Property(tries = 400)
  void aReviewThatDiffersInOneFieldIsNeverAnsweredFromTheCache(
      @ForAll("reviews") SubjectAccessReview cached,
      @ForAll @IntRange(min = 0, max = 10_000) int where,
      @ForAll("texts") String text) {
    JsonNode original = Json.tree(cached);
    JsonNode changed = edit(original, where, text);
    assertThat(changed).as("one field differs").isNotEqualTo(original);
    SubjectAccessReview other = Json.convert(changed, SubjectAccessReview.class);
    assertThat(Json.tree(other)).as("still different once read").isNotEqualTo(original);
    Echo echo = new Echo();
    AuthorizerChain chain =
        AuthorizerChain.builder().add(echo).cache(AuthorizationCacheOptions.defaults()).build();

    chain.authorize(cached);
    AuthorizationDecision answer = chain.authorize(other);

    assertThat(echo.calls).as("evaluated, not answered from the cache").hasValue(2);
    assertThat(answer.reason()).isEqualTo(Json.writeString(other));
  }

  @Property(tries = 200)
  void anEqualReviewIsAnsweredFromTheCacheWhateverTheOrderOfItsFields(
      @ForAll("reviews") SubjectAccessReview cached) {
    JsonNode reordered = reversed(Json.tree(cached));
    SubjectAccessReview same = Json.convert(reordered, SubjectAccessReview.class);
    Echo echo = new Echo();
    AuthorizerChain chain =
        AuthorizerChain.builder().add(echo).cache(AuthorizationCacheOptions.defaults()).build();

    AuthorizationDecision first = chain.authorize(cached);
    AuthorizationDecision second = chain.authorize(same);

    assertThat(echo.calls).hasValue(1);
    assertThat(second).isEqualTo(first);
  }

  /**
   * {@code document} with one change, chosen by {@code where} among every value and container in
   * it: a text gets {@code text} appended ("x" when {@code text} is empty) or its last character
   * changed (to '?' or a lone surrogate, which a charset encoder would confuse), a boolean flips,
   * an array gets one more element, an element or a field is removed, an object gets another field.
   */
  static JsonNode edit(JsonNode document, int where, String text) {
    ObjectNode copy = document.deepCopy();
    List<Runnable> edits = new ArrayList<>();
    collect(copy, "", text, edits);
    edits.get(where % edits.size()).run();
    return copy;
  }

  private static void collect(JsonNode node, String name, String text, List<Runnable> edits) {
    if (node instanceof ObjectNode o) {
      // an array of text fits every object of a review: an unknown field, or a key of extra
      edits.add(() -> o.set("unknownField" + o.size(), F.arrayNode().add(text)));
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      for (String field : names) {
        JsonNode child = o.get(field);
        edits.add(() -> o.remove(field));
        replaceable(child, text, value -> o.set(field, value), edits);
        collect(child, field, text, edits);
      }
    } else if (node instanceof ArrayNode a) {
      // one more element of the array's type: a selector requirement, else a text
      edits.add(
          () -> {
            if (name.equals("requirements")) {
              a.add(F.objectNode().put("key", text).put("operator", "Exists"));
            } else {
              a.add(text);
            }
          });
      for (int i = 0; i < a.size(); i++) {
        int at = i;
        edits.add(() -> a.remove(at));
        replaceable(a.get(i), text, value -> a.set(at, value), edits);
        collect(a.get(i), name, text, edits);
      }
    }
  }

  private static void replaceable(
      JsonNode value,
      String text,
      java.util.function.Consumer<JsonNode> set,
      List<Runnable> edits) {
    if (value.isTextual()) {
      String changed = text.isEmpty() ? value.textValue() + "x" : value.textValue() + text;
      edits.add(() -> set.accept(TextNode.valueOf(changed)));
      // a text of the same length, last character changed: '?' and lone surrogates included
      String old = value.textValue();
      if (!old.isEmpty()) {
        char last = old.charAt(old.length() - 1);
        char other = last == '?' ? '\uD800' : last == '\uD800' ? '\uD801' : '?';
        edits.add(() -> set.accept(TextNode.valueOf(old.substring(0, old.length() - 1) + other)));
      }
    } else if (value.isBoolean()) {
      edits.add(() -> set.accept(BooleanNode.valueOf(!value.booleanValue())));
    }
  }

  /** The same document with the fields of every object in reverse order. */
  static JsonNode reversed(JsonNode node) {
    if (node.isObject()) {
      Map<String, JsonNode> fields = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        fields.put(e.getKey(), reversed(e.getValue()));
      }
      List<String> names = new ArrayList<>(fields.keySet());
      java.util.Collections.reverse(names);
      ObjectNode out = F.objectNode();
      names.forEach(n -> out.set(n, fields.get(n)));
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = F.arrayNode();
      node.forEach(e -> out.add(reversed(e)));
      return out;
    }
    return node;
  }
}
