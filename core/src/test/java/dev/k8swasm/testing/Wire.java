package dev.k8swasm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Round-trip assertions for the wire types. */
public final class Wire {
  private Wire() {}

  /** The JSON tree of a {@code wire/} test resource. */
  public static JsonNode tree(String resource) {
    return tree(Resources.bytes("wire/" + resource));
  }

  /** The JSON tree of some JSON bytes, as the shared mapper reads it. */
  public static JsonNode tree(byte[] json) {
    try {
      return Json.reader().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads the {@code wire/} resource as {@code type} with {@link Json#read}, writes it back with
   * {@link Json#write} and asserts the result is the same JSON tree as the original.
   */
  public static <T> T roundTrip(String resource, Class<T> type) {
    byte[] original = Resources.bytes("wire/" + resource);
    T parsed = Json.read(original, type);
    byte[] written = Json.write(parsed);
    assertThat(tree(written))
        .as("%s written back after reading it as %s", resource, type.getSimpleName())
        .isEqualTo(tree(original));
    return parsed;
  }
}
