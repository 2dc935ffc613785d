package dev.k8swasm.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.k8swasm.json.Json;

/**
 * Pretty JSON as kubectl prints it: 2-space indentation, objects and arrays one entry per line,
 * {@code "key": value}.
 */
final class JsonOutput {
  private static final ObjectWriter PRETTY;

  static {
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter()
            .withSeparators(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""));
    printer.indentObjectsWith(indenter);
    printer.indentArraysWith(indenter);
    PRETTY = Json.writer().with(printer);
  }

  private JsonOutput() {}

  /** {@code node} as pretty JSON, without a final line break. */
  static String pretty(JsonNode node) {
    try {
      return PRETTY.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print JSON: " + e.getOriginalMessage(), e);
    }
  }
}
