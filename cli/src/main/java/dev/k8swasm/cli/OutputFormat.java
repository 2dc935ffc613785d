package dev.k8swasm.cli;

import java.util.Locale;

/** How an answer (or a module's description) is printed on stdout: {@code --output}. */
public enum OutputFormat {
  /** Indented JSON, as kubectl prints it: the default, and what scripts should parse. */
  JSON,
  /** JSON on one line, as kwctl prints it (for scripts that grep {@code "allowed":true}). */
  COMPACT,
  /** YAML. */
  YAML,
  /** A summary for people: the decision in words, the message, a decoded patch. */
  PRETTY;

  /** The lower-case name used on the command line. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
