package dev.k8swasm.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The JSON and YAML mappers shared by the library, configured once for the Kubernetes wire formats
 * (lossless: unknown fields are kept by the wire types, floats keep their precision).
 *
 * <p>Bad input never throws a checked exception: {@link #readTree}, {@link #read} and {@link
 * #convert} throw {@link IllegalArgumentException} with a one-line message saying what is wrong
 * with the document, so a webhook can answer such a request with HTTP 400. The methods are
 * thread-safe. The mappers themselves are never handed out: {@link #reader()}, {@link #writer()}
 * and their YAML counterparts give immutable readers and writers configured the same way.
 */
public final class Json {

  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          // keep 1.0 as 1.0 and 100.0 as 100.0 (not 1 and 1E+2): numbers round-trip unchanged
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private static final YAMLMapper YAML =
      YAMLMapper.builder(
              YAMLFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxDocumentLength(64L << 20).build())
                  .build())
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          // keep 1.0 as 1.0 and 100.0 as 100.0 (not 1 and 1E+2): numbers round-trip unchanged
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  static {
    JSON.getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxStringLength(Integer.MAX_VALUE)
                .maxNestingDepth(500)
                .build());
  }

  private Json() {}

  /**
   * A reader of JSON with the library's configuration. Readers are immutable: derive variants with
   * its {@code with...} and {@code forType} methods.
   */
  public static ObjectReader reader() {
    return JSON.reader();
  }

  /** A writer of JSON with the library's configuration (immutable, like {@link #reader()}). */
  public static ObjectWriter writer() {
    return JSON.writer();
  }

  /** A reader of YAML with the library's configuration (immutable). */
  public static ObjectReader yamlReader() {
    return YAML.reader();
  }

  /** A writer of YAML with the library's configuration (immutable). */
  public static ObjectWriter yamlWriter() {
    return YAML.writer();
  }

  /** Converts any value (a wire type, a list, a map, a model object) into a tree. */
  public static JsonNode tree(Object value) {
    return JSON.valueToTree(value);
  }

  /**
   * Parses a JSON or YAML document. JSON is recognised by its first non-blank character being
   * <code>&#123;</code> or {@code [}; anything else is read as YAML (of which JSON is a subset).
   *
   * @throws IllegalArgumentException when the document is neither valid JSON nor valid YAML
   */
  public static JsonNode readTree(byte[] document) {
    Objects.requireNonNull(document, "document");
    try {
      JsonNode node = looksLikeJson(document) ? JSON.readTree(document) : YAML.readTree(document);
      if (node == null || node.isMissingNode()) {
        throw new IllegalArgumentException("the document is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "not valid "
              + (looksLikeJson(document) ? "JSON" : "YAML")
              + ": "
              + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Converts a tree into a wire type, with a clear message when the shape does not fit.
   *
   * @throws IllegalArgumentException also when {@code node} is null, missing or JSON {@code null}
   */
  public static <T> T convert(JsonNode node, Class<T> type) {
    try {
      return notNull(JSON.treeToValue(node, type), type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Parses JSON bytes into a wire type, with a clear message when the shape does not fit.
   *
   * @throws IllegalArgumentException also when the document is empty or JSON {@code null}
   */
  public static <T> T read(byte[] json, Class<T> type) {
    try {
      return notNull(JSON.readValue(json, type), type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A document that parses to nothing ({@code null}, empty input) is not a valid anything. */
  private static <T> T notNull(T value, Class<T> type) {
    if (value == null) {
      throw new IllegalArgumentException(
          "not a valid " + type.getSimpleName() + ": the document is null or empty");
    }
    return value;
  }

  /** Serialises a wire type or tree to compact JSON bytes. */
  public static byte[] write(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialise " + value.getClass().getName(), e);
    }
  }

  /** Serialises a wire type or tree to compact JSON text. */
  public static String writeString(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialise " + value.getClass().getName(), e);
    }
  }

  /** Converts a wire type into a tree. */
  public static ObjectNode toTree(Object value) {
    return JSON.valueToTree(value);
  }

  private static boolean looksLikeJson(byte[] document) {
    for (byte b : document) {
      if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
        continue;
      }
      return b == '{' || b == '[';
    }
    return false;
  }
}
