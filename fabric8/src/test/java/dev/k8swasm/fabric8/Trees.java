package dev.k8swasm.fabric8;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * JSON-tree comparison for the tests: a value's canonical tree is what parsing its serialised JSON
 * gives, so trees built in different ways (a token buffer, a parser) compare by what they say.
 */
final class Trees {
  private Trees() {}

  /** The tree of a k8s-wasm value (or a tree) as JSON on the wire. */
  static JsonNode ours(Object value) {
    return parse(Json.write(value));
  }

  /** The tree of a fabric8 value as fabric8's model serialises it. */
  static JsonNode fabric8(Object value) {
    return parse(Fabric8Reviews.mapper().writeValueAsBytes(value));
  }

  /** Asserts two trees are equal, showing the JSON Patch between them when they are not. */
  static void assertSameJson(JsonNode actual, JsonNode expected) {
    if (!actual.equals(expected)) {
      throw new AssertionError(
          "JSON trees differ; patch from expected to actual: "
              + dev.k8swasm.admission.JsonPatches.diff(expected, actual)
              + "\nexpected: "
              + expected
              + "\nactual:   "
              + actual);
    }
  }

  static JsonNode parse(byte[] json) {
    try {
      return Json.reader().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode parse(String json) {
    return parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** A test resource under {@code /reviews/}. */
  static byte[] resource(String name) {
    try (InputStream in = Trees.class.getResourceAsStream("/reviews/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
