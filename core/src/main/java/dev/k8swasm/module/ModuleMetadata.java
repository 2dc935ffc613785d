package dev.k8swasm.module;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * What a module declares about itself, used as defaults that configuration may override.
 *
 * @param rules admission rules (a JSON list of RuleWithOperations), if declared
 * @param mutating whether the module mutates, if declared
 * @param raw the module's whole metadata document, if any
 */
public record ModuleMetadata(
    Optional<JsonNode> rules, Optional<Boolean> mutating, Optional<JsonNode> raw) {

  /** No metadata. */
  public static final ModuleMetadata NONE =
      new ModuleMetadata(Optional.empty(), Optional.empty(), Optional.empty());
}
