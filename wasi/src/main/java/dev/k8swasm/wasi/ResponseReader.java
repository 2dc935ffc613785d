package dev.k8swasm.wasi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import java.io.CharConversionException;
import java.io.IOException;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Reads the output envelope {@code {"response": ..., "error": "..."}} a module wrote to stdout and
 * returns its {@code response}. Failure messages quote a redacted excerpt of stdout and stderr.
 */
final class ResponseReader {
  private static final ObjectReader READER =
      Json.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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
    if (!looksLikeUtf8()) {
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
  private boolean looksLikeUtf8() {
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
