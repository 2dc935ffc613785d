package dev.k8swasm.config;

import java.util.List;

/**
 * A configuration cannot be used. The message lists every problem found, each naming the file, the
 * module and the field.
 */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /** A configuration error with one or more problems. */
  public ConfigException(List<String> problems) {
    super(format(problems));
    this.problems = List.copyOf(problems);
  }

  /** A configuration error with one problem. */
  public ConfigException(String problem) {
    this(List.of(problem));
  }

  /** The problems found, one sentence each. */
  public List<String> problems() {
    return problems;
  }

  private static String format(List<String> problems) {
    if (problems.size() == 1) {
      return "invalid configuration: " + problems.get(0);
    }
    return "invalid configuration ("
        + problems.size()
        + " problems):\n  - "
        + String.join("\n  - ", problems);
  }
}
