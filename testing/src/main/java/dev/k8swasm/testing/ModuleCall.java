package dev.k8swasm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ReviewKind;
import java.util.Objects;
import java.util.Optional;

/**
 * One call of a module, as recorded while a test evaluated a request: what the module was given and
 * what it answered (its raw {@code response}, before the library interpreted it) or how it failed.
 *
 * <p>Bearer tokens are already redacted in {@link #input()}.
 *
 * @param module the module's name
 * @param kind what it was asked
 * @param input the review document the module was given, as pretty-printed JSON, tokens redacted
 * @param output the module's raw response, when it answered
 * @param failure why it failed, when it did; runtimes put the module's stderr in the message
 */
public record ModuleCall(
    String module,
    ReviewKind kind,
    String input,
    Optional<JsonNode> output,
    Optional<ModuleException> failure) {

  public ModuleCall {
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(failure, "failure");
  }

  /**
   * A description for failure messages: input (unless it is {@code request}, shown already), then
   * output or failure.
   */
  String describe(String request) {
    StringBuilder out = new StringBuilder();
    if (input.equals(request)) {
      out.append("module '").append(module).append("' was given the request above");
    } else {
      out.append("module '").append(module).append("' was given:\n");
      out.append(Texts.indent(Texts.truncate(input)));
    }
    if (output.isPresent()) {
      out.append("\nand answered (raw response):\n");
      out.append(Texts.indent(Texts.truncate(Texts.pretty(output.get()))));
    }
    failure.ifPresent(
        e ->
            out.append("\nand failed [")
                .append(e.reason())
                .append("]:\n")
                .append(Texts.indent(Texts.truncate(Texts.redact(e.detail())))));
    return out.toString();
  }
}
