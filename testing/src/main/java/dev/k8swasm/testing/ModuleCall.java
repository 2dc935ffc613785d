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
 * <p>Bearer tokens are already redacted in {@link #input()}. Immutable.
 */
public final class ModuleCall {
  private final String module;
  private final ReviewKind kind;
  private final String input;
  private final JsonNode output;
  private final ModuleException failure;

  private ModuleCall(
      String module, ReviewKind kind, String input, JsonNode output, ModuleException failure) {
    this.module = Objects.requireNonNull(module, "module");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.input = Objects.requireNonNull(input, "input");
    this.output = output;
    this.failure = failure;
  }

  /** A call the module answered with {@code output} (its raw response; null for none). */
  static ModuleCall answered(String module, ReviewKind kind, String input, JsonNode output) {
    return new ModuleCall(module, kind, input, output, null);
  }

  /** A call that failed with {@code failure}. */
  static ModuleCall failed(String module, ReviewKind kind, String input, ModuleException failure) {
    return new ModuleCall(module, kind, input, null, Objects.requireNonNull(failure, "failure"));
  }

  /** The module's name. */
  public String module() {
    return module;
  }

  /** What the module was asked. */
  public ReviewKind kind() {
    return kind;
  }

  /** The review document the module was given, as pretty-printed JSON, tokens redacted. */
  public String input() {
    return input;
  }

  /** The module's raw response, when it answered. */
  public Optional<JsonNode> output() {
    return Optional.ofNullable(output);
  }

  /** Why the module failed, when it did; runtimes put the module's stderr in the message. */
  public Optional<ModuleException> failure() {
    return Optional.ofNullable(failure);
  }

  @Override
  public String toString() {
    String outcome = failure != null ? "failed " + failure.reason() : "answered";
    return "ModuleCall[module=" + module + ", kind=" + kind + ", " + outcome + "]";
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
    if (output != null) {
      out.append("\nand answered (raw response):\n");
      out.append(Texts.indent(Texts.truncate(Texts.pretty(output))));
    }
    if (failure != null) {
      out.append("\nand failed [")
          .append(failure.reason())
          .append("]:\n")
          .append(Texts.indent(Texts.truncate(Texts.redact(failure.detail()))));
    }
    return out.toString();
  }
}
