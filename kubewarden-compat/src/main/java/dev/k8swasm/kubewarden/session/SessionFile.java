package dev.k8swasm.kubewarden.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.k8swasm.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * kwctl's recorded host capability sessions: a YAML list of exchanges.
 *
 * <pre>
 * - type: Exchange
 *   request: |
 *     !DNSLookupHost
 *     host: google.com
 *   response:
 *     type: Success            # or: type: Error + message: '...'
 *     payload: '{"ips":["142.250.69.142"]}'
 * </pre>
 */
public final class SessionFile {
  private static final YAMLMapper YAML = new YAMLMapper();

  private SessionFile() {}

  /**
   * Reads a session file.
   *
   * @throws IllegalArgumentException naming the file and the exchange that is wrong
   */
  public static List<Exchange> read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("session file not found: " + file, e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read session file " + file + ": " + e, e);
    }
    return parse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), file.toString());
  }

  /**
   * Parses a session document; {@code source} names it in messages.
   *
   * @throws IllegalArgumentException naming the exchange that is wrong
   */
  public static List<Exchange> parse(String yaml, String source) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": not valid YAML: " + e.getMessage(), e);
    }
    List<Exchange> exchanges = new ArrayList<>();
    if (root == null || root.isNull() || root.isMissingNode()) {
      return exchanges;
    }
    if (!root.isArray()) {
      throw new IllegalArgumentException(source + ": expected a YAML list of exchanges");
    }
    for (int i = 0; i < root.size(); i++) {
      String where = source + ": exchange " + (i + 1);
      JsonNode e = root.get(i);
      if (!e.isObject() || !"Exchange".equals(e.path("type").asText())) {
        throw new IllegalArgumentException(where + ": expected 'type: Exchange'");
      }
      JsonNode request = e.get("request");
      if (request == null || !request.isTextual()) {
        throw new IllegalArgumentException(where + ": 'request' must be a tagged YAML document");
      }
      CallbackRequest parsed;
      try {
        parsed = CallbackRequest.parse(request.asText());
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(where + ": request: " + ex.getMessage(), ex);
      }
      JsonNode response = e.get("response");
      String type = response == null ? "" : response.path("type").asText();
      switch (type) {
        case "Success" -> {
          JsonNode payload = response.get("payload");
          if (payload == null || !payload.isTextual()) {
            throw new IllegalArgumentException(where + ": a Success response needs a 'payload'");
          }
          exchanges.add(
              new Exchange(parsed, true, Optional.of(payload.asText()), Optional.empty()));
        }
        case "Error" -> {
          JsonNode message = response.get("message");
          exchanges.add(
              new Exchange(
                  parsed,
                  false,
                  Optional.empty(),
                  Optional.of(message == null || message.isNull() ? "" : message.asText())));
        }
        default ->
            throw new IllegalArgumentException(
                where + ": 'response.type' must be Success or Error");
      }
    }
    return exchanges;
  }

  /**
   * The YAML text of {@code exchanges}, as kwctl writes it: the request as a literal block, the
   * payload or message single-quoted (double-quoted with escapes when it spans lines or holds
   * control characters).
   */
  public static String format(List<Exchange> exchanges) {
    if (exchanges.isEmpty()) {
      return "[]\n";
    }
    StringBuilder out = new StringBuilder();
    for (Exchange x : exchanges) {
      out.append("- type: Exchange\n  request: |\n");
      for (String line : x.request().toYaml().split("\n", -1)) {
        if (!line.isEmpty()) {
          out.append("    ").append(line);
        }
        out.append('\n');
      }
      out.setLength(out.length() - 1); // toYaml() ends with a line break
      out.append("  response:\n");
      if (x.success()) {
        out.append("    type: Success\n    payload: ").append(scalar(x.payload().orElse("")));
      } else {
        out.append("    type: Error\n    message: ").append(scalar(x.message().orElse("")));
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static String scalar(String text) {
    boolean plain = text.chars().allMatch(c -> c >= 0x20 && c != 0x7f && c != 0x85);
    return plain ? "'" + text.replace("'", "''") + "'" : Json.writeString(text);
  }

  /**
   * Writes {@code exchanges} to {@code file} (replacing it).
   *
   * @throws java.io.UncheckedIOException when the file cannot be written
   */
  public static void write(Path file, List<Exchange> exchanges) {
    try {
      Files.writeString(file, format(exchanges));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write session file " + file, e);
    }
  }
}
