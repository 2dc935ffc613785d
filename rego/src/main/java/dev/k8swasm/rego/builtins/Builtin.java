package dev.k8swasm.rego.builtins;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Rego built-in function the host implements for a compiled policy (one the OPA compiler did not
 * compile into the module, such as {@code sprintf} or {@code time.now_ns}). Arguments and result
 * are JSON documents (Rego sets arrive as arrays).
 */
@FunctionalInterface
public interface Builtin {

  /**
   * Calls the function.
   *
   * @param args the arguments, as many as the function takes
   * @return the result, or {@code null} when it is undefined
   * @throws BuiltinException when the arguments are wrong or the function fails
   */
  JsonNode call(JsonNode... args);
}
