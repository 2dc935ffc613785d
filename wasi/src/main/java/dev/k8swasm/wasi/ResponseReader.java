package dev.k8swasm.wasi;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.wasi.sandbox.BoundedOutput;
import dev.k8swasm.wasi.sandbox.Messages;
import java.io.CharConversionException;
import java.io.IOException;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Reads the output envelope {@code {"response": ..., "error": "..."}} a module wrote to stdout and
 * returns its {@code response}, as a tree or bound to a wire type. Failure messages quote a
 * redacted excerpt of stdout and stderr.
 *
 * <p>Binding to a wire type reads stdout in one streaming pass, without building a tree, when the
 * envelope is the plain case: one JSON object with a {@code response} object and no {@code error}.
 * Anything else is read again the tree way, so failures are exactly those of {@link #read(String,
 * BoundedOutput, BoundedOutput, Supplier)}.
 */
final class ResponseReader {
  private static final ObjectReader READER =
      Json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final String module;
  private final BoundedOutput stdout;
  private final BoundedOutput stderr;
  private final Supplier<String> secret;

  private ResponseReader(
      String module, BoundedOutput stdout, BoundedOutput stderr, Supplier<String> secret) {
    this.module = module;
    this.stdout = stdout;
    this.stderr = stderr;
    this.secret = secret;
  }

  /**
   * The {@code response} object of the envelope in {@code stdout}.
   *
   * @throws ModuleException BAD_OUTPUT when stdout is empty, not one JSON object or has no {@code
   *     response} object; MODULE_ERROR when the module reported an {@code error}; failure messages
   *     never contain the text {@code secret} supplies (asked only on failure)
   */
  static JsonNode read(
      String module, BoundedOutput stdout, BoundedOutput stderr, Supplier<String> secret) {
    return new ResponseReader(module, stdout, stderr, secret).read();
  }

  /**
   * The {@code response} object of the envelope in {@code stdout} bound to {@code type}: the same
   * as {@link Json#convert Json.convert} of what {@link #read(String, BoundedOutput, BoundedOutput,
   * Supplier)} returns, including when the response does not fit {@code type}, which the returned
   * {@link Answer} holds, so that it is thrown outside the sandbox.
   *
   * @throws ModuleException as {@link #read(String, BoundedOutput, BoundedOutput, Supplier)}
   */
  static <T> Answer<T> read(
      String module,
      BoundedOutput stdout,
      BoundedOutput stderr,
      Supplier<String> secret,
      Class<T> type) {
    T bound = bindPlain(stdout, type);
    if (bound != null) {
      return new Answer<>(bound, null);
    }
    JsonNode response = read(module, stdout, stderr, secret);
    try {
      return new Answer<>(Json.convert(response, type), null);
    } catch (IllegalArgumentException e) {
      return new Answer<>(null, e);
    }
  }

  /**
   * A response bound to a wire type, or why it does not fit the type.
   *
   * @param value the response, when it fits
   * @param misfit why it does not fit, as {@link Json#convert} reports it
   */
  record Answer<T>(T value, IllegalArgumentException misfit) {
    /**
     * The response.
     *
     * @throws IllegalArgumentException when it does not fit the type
     */
    T get() {
      if (misfit != null) {
        throw misfit;
      }
      return value;
    }
  }

  /**
   * The {@code response} of a plain envelope in {@code stdout} bound to {@code type} in one pass;
   * null when stdout is anything else (empty, not UTF-8, not one JSON object, an {@code error}
   * other than null or empty, no {@code response} object, a duplicate key anywhere, or a response
   * that does not bind).
   */
  private static <T> T bindPlain(BoundedOutput stdout, Class<T> type) {
    if (stdout.size() == 0 || !looksLikeUtf8(stdout)) {
      return null;
    }
    try (JsonParser parser = Json.reader().createParser(stdout.buffer(), 0, stdout.size())) {
      // a duplicate key fails this pass, so the tree decides (the last duplicate wins); bound
      // directly, a record's unknown-field map would keep the first one
      parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      T response = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("response".equals(field)) {
          if (value != JsonToken.START_OBJECT) {
            return null;
          }
          response = Json.reader().readValue(parser, type);
        } else if ("error".equals(field)) {
          if (value != JsonToken.VALUE_NULL
              && !(value == JsonToken.VALUE_STRING && parser.getTextLength() == 0)) {
            return null;
          }
        } else {
          parser.skipChildren();
        }
      }
      if (!parser.hasToken(JsonToken.END_OBJECT) || parser.nextToken() != null) {
        return null;
      }
      return response;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private JsonNode read() {
    if (stdout.size() == 0) {
      throw failure(FailureReason.BAD_OUTPUT, "module wrote nothing to stdout");
    }
    JsonNode envelope = parse();
    if (!envelope.isObject()) {
      throw failure(FailureReason.BAD_OUTPUT, "module's stdout is not a JSON object: " + preview());
    }
    JsonNode error = envelope.get("error");
    if (error != null && !error.isNull() && !(error.isTextual() && error.asText().isEmpty())) {
      String message = error.isTextual() ? error.asText() : error.toString();
      throw failure(
          FailureReason.MODULE_ERROR,
          "module reported an error: "
              + Messages.excerpt(message, Messages.STDERR_CHARS, secret.get()));
    }
    JsonNode response = envelope.get("response");
    if (response == null || response.isNull()) {
      throw failure(
          FailureReason.BAD_OUTPUT,
          "module's output has neither a response nor an error: " + preview());
    }
    if (!response.isObject()) {
      throw failure(
          FailureReason.BAD_OUTPUT,
          "module's response is a "
              + response.getNodeType().name().toLowerCase(Locale.ROOT)
              + ", not a JSON object: "
              + preview());
    }
    return response;
  }

  private JsonNode parse() {
    if (!looksLikeUtf8(stdout)) {
      throw failure(
          FailureReason.BAD_OUTPUT,
          "module's stdout is not UTF-8 (it starts with a byte order mark or NUL bytes, as UTF-16"
              + " or UTF-32 text does): "
              + preview());
    }
    try {
      return READER.readTree(stdout.buffer(), 0, stdout.size());
    } catch (JsonProcessingException e) {
      throw failure(
          FailureReason.BAD_OUTPUT,
          "module's stdout is not one JSON document ("
              + Messages.excerpt(e.getOriginalMessage(), Messages.PREVIEW_CHARS, secret.get())
              + "): "
              + preview());
    } catch (CharConversionException e) {
      throw failure(
          FailureReason.BAD_OUTPUT,
          "module's stdout is not valid UTF-8 ("
              + Messages.excerpt(
                  String.valueOf(e.getMessage()), Messages.PREVIEW_CHARS, secret.get())
              + "): "
              + preview());
    } catch (IOException e) {
      throw new ModuleException(module, FailureReason.INTERNAL, "cannot read stdout: " + e, e);
    }
  }

  /**
   * Whether stdout can be UTF-8 JSON: Jackson would otherwise detect UTF-16 or UTF-32 from a byte
   * order mark or from NUL bytes among the first four, which the contract (UTF-8) does not allow.
   */
  private static boolean looksLikeUtf8(BoundedOutput stdout) {
    byte[] bytes = stdout.buffer();
    int n = Math.min(4, stdout.size());
    if (n >= 2 && ((bytes[0] & 0xff) == 0xfe || (bytes[0] & 0xff) == 0xff)) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (bytes[i] == 0) {
        return false;
      }
    }
    return true;
  }

  private String preview() {
    return "\"" + Messages.excerpt(stdout.text(), Messages.PREVIEW_CHARS, secret.get()) + "\"";
  }

  private ModuleException failure(FailureReason reason, String detail) {
    return new ModuleException(module, reason, detail + Messages.stderrNote(stderr, secret.get()));
  }
}
