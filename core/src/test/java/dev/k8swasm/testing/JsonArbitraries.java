package dev.k8swasm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** jqwik generators of JSON values. */
public final class JsonArbitraries {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private JsonArbitraries() {}

  /** Scalars: strings, integers of every size, floats, booleans and null. */
  public static Arbitrary<JsonNode> scalars() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(8).map(s -> (JsonNode) F.textNode(s)),
        Arbitraries.integers().between(-1000, 1000).map(i -> (JsonNode) F.numberNode(i)),
        Arbitraries.longs().map(l -> (JsonNode) F.numberNode(l)),
        Arbitraries.bigIntegers()
            .between(BigInteger.ONE.shiftLeft(70).negate(), BigInteger.ONE.shiftLeft(70))
            .map(b -> (JsonNode) F.numberNode(b)),
        Arbitraries.doubles().between(-1e6, 1e6).ofScale(3).map(d -> (JsonNode) F.numberNode(d)),
        Arbitraries.of(true, false).map(b -> (JsonNode) F.booleanNode(b)),
        Arbitraries.just(F.nullNode()));
  }

  /** Any JSON value nested at most {@code depth} deep, with keys from {@code keys}. */
  public static Arbitrary<JsonNode> values(int depth, Arbitrary<String> keys) {
    Arbitrary<JsonNode> scalars = scalars();
    if (depth == 0) {
      return scalars;
    }
    Arbitrary<JsonNode> nested = values(depth - 1, keys);
    return Arbitraries.oneOf(scalars, scalars, arrays(nested), objects(keys, nested));
  }

  /** JSON objects nested at most {@code depth} deep, with keys from {@code keys}. */
  public static Arbitrary<ObjectNode> objects(int depth, Arbitrary<String> keys) {
    return objects(keys, values(depth - 1, keys)).map(n -> (ObjectNode) n);
  }

  /** Short keys, often colliding so that objects share fields. */
  public static Arbitrary<String> shortKeys() {
    return Arbitraries.oneOf(
        Arbitraries.of("a", "b", "c", "metadata", "spec", "items", "0", "~", "/", "a/b", "c~d"),
        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(4));
  }

  private static Arbitrary<JsonNode> arrays(Arbitrary<JsonNode> elements) {
    return elements
        .list()
        .ofMaxSize(4)
        .map(
            list -> {
              ArrayNode a = F.arrayNode();
              list.forEach(a::add);
              return (JsonNode) a;
            });
  }

  private static Arbitrary<JsonNode> objects(Arbitrary<String> keys, Arbitrary<JsonNode> values) {
    return Arbitraries.maps(keys, values)
        .ofMaxSize(4)
        .map(
            map -> {
              ObjectNode o = F.objectNode();
              map.forEach(o::set);
              return (JsonNode) o;
            });
  }
}
