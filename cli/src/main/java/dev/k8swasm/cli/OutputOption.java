package dev.k8swasm.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.k8swasm.json.Json;
import java.io.PrintWriter;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** {@code -o/--output json|yaml|pretty}. */
public final class OutputOption {

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      converter = Converters.OutputFormatConverter.class,
      description =
          "How to print the answer: json (the default: indented JSON), compact (JSON on one"
              + " line, as kwctl prints it), yaml, or pretty (a summary for people: the decision"
              + " in words, the message, a decoded patch).")
  OutputFormat format = OutputFormat.JSON;

  /** Used by picocli. */
  public OutputOption() {}

  /** The chosen format. */
  public OutputFormat format() {
    return format;
  }

  /**
   * Prints {@code document} as JSON or YAML, or the lines of {@code pretty} for {@link
   * OutputFormat#PRETTY}.
   */
  void print(PrintWriter out, JsonNode document, Supplier<String> pretty) {
    switch (format) {
      case JSON -> out.println(JsonOutput.pretty(document));
      case COMPACT -> out.println(Json.writeString(document));
      case YAML -> out.print(yaml(document));
      case PRETTY -> out.println(pretty.get());
    }
    out.flush();
  }

  /** YAML as kubectl prints it: no document marker, quotes only where needed. */
  private static final YAMLMapper YAML =
      new YAMLMapper(
          YAMLFactory.builder()
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .build());

  /** {@code document} as YAML, ending with a line break. */
  static String yaml(JsonNode document) {
    try {
      return YAML.writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print YAML: " + e.getOriginalMessage(), e);
    }
  }
}
