package dev.k8swasm.module;

/** How every evaluation gets a fresh module state. */
public enum InstanceStrategy {
  /** A new instance per evaluation. */
  FRESH,
  /** Restore a pre-initialised snapshot into a pooled instance. */
  SNAPSHOT
}
