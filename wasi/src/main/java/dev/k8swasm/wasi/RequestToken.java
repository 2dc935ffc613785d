package dev.k8swasm.wasi;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.k8swasm.json.Json;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * The bearer token of a TokenReview request ({@code spec.token}), found lazily and at most once, so
 * messages and log lines about the evaluation can leave it out even where a module repeated it
 * bare. Only failures and debug logging ask for it; a successful evaluation never parses anything.
 */
final class RequestToken implements Supplier<String> {
  private final byte[] request;
  private boolean found;
  private String token;

  private RequestToken(byte[] request) {
    this.request = request;
  }

  /** The token of the TokenReview in {@code request}, computed on first use. */
  static Supplier<String> of(byte[] request) {
    return new RequestToken(request);
  }

  /** The token, or null when the request has no textual {@code spec.token} or is not JSON. */
  @Override
  public String get() {
    if (!found) {
      token = find(request);
      found = true;
    }
    return token;
  }

  private static String find(byte[] request) {
    try (JsonParser parser = Json.reader().createParser(request)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("spec".equals(field) && value == JsonToken.START_OBJECT) {
          return tokenIn(parser);
        }
        parser.skipChildren();
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String tokenIn(JsonParser spec) throws IOException {
    while (spec.nextToken() == JsonToken.FIELD_NAME) {
      String field = spec.currentName();
      JsonToken value = spec.nextToken();
      if ("token".equals(field) && value == JsonToken.VALUE_STRING) {
        return spec.getText();
      }
      spec.skipChildren();
    }
    return null;
  }
}
