package dev.k8swasm.module;

/** How module code is executed. */
public enum Engine {
  /** Translated to JVM bytecode once per module (default; fast). */
  COMPILER,
  /** Interpreted (slow; starts faster, useful for debugging). */
  INTERPRETER
}
