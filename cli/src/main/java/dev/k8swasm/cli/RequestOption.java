package dev.k8swasm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code -r/--request FILE|-}: the request to evaluate, JSON or YAML, its kind detected. */
public final class RequestOption {

  @Option(
      names = {"-r", "--request", "--request-path"},
      paramLabel = "FILE",
      required = true,
      description = {
        "The request, JSON or YAML, or - for stdin: a TokenReview, a SubjectAccessReview, an"
            + " AdmissionReview or a bare AdmissionRequest (then only the AdmissionResponse is"
            + " printed)."
      })
  String request;

  /** Used by picocli. */
  public RequestOption() {}

  /**
   * Reads and detects the request.
   *
   * @throws CliException when it cannot be read or parsed, or its kind is unknown
   */
  public ReviewRequest read() {
    return read(System.in);
  }

  /** Reads the request, taking {@code stdin} for {@code -}. */
  ReviewRequest read(InputStream stdin) {
    return ReviewRequest.of(document(stdin), source());
  }

  /** Where the request is read from, for messages. */
  String source() {
    return request.equals("-") ? "<stdin>" : request;
  }

  /**
   * The request as a document, whatever its kind (a raw policy's input).
   *
   * @throws CliException when it cannot be read or parsed
   */
  JsonNode document(InputStream stdin) {
    boolean fromStdin = request.equals("-");
    String source = fromStdin ? "<stdin>" : request;
    byte[] bytes;
    try {
      bytes = fromStdin ? stdin.readAllBytes() : Files.readAllBytes(Path.of(request));
    } catch (NoSuchFileException e) {
      throw new CliException("request file not found: " + request, e);
    } catch (IOException | java.nio.file.InvalidPathException e) {
      throw new CliException("cannot read request " + source + ": " + e.getMessage(), e);
    }
    JsonNode document;
    try {
      document = Json.readTree(bytes);
    } catch (IllegalArgumentException e) {
      throw new CliException("cannot parse request " + source + ": " + e.getMessage(), e);
    }
    return document;
  }
}
