package dev.k8swasm.wasi;

import dev.k8swasm.module.ReviewKind;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the contract check found out about a module.
 *
 * @param entryPoints the export to call for each kind of review the module supports
 * @param reactor whether the module exports {@code _initialize}, run once per instance
 */
record ModuleShape(Map<ReviewKind, String> entryPoints, boolean reactor) {
  /** The reactor initialisation export. */
  static final String INITIALIZE = "_initialize";

  ModuleShape {
    entryPoints = Collections.unmodifiableMap(new EnumMap<>(entryPoints));
  }

  /** The export the contract calls for {@code kind}. */
  static String exportName(ReviewKind kind) {
    return switch (kind) {
      case AUTHENTICATION -> "authn";
      case AUTHORIZATION -> "authz";
      case ADMISSION -> "validate";
    };
  }
}
