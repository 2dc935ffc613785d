package dev.k8swasm.cli;

import picocli.CommandLine.Option;

/** The {@code --debug} flag, shared by every subcommand. */
public final class DebugOption {

  @Option(
      names = "--debug",
      description =
          "Debug logging (module inputs and outputs, tokens redacted) and stack traces on errors."
              + " Same as K8S_WASM_DEBUG=1.")
  boolean debug;

  /** Used by picocli. */
  public DebugOption() {}

  /** Whether debug output is on: this flag, {@code K8S_WASM_DEBUG=1} or a flag seen by main. */
  public boolean enabled() {
    return debug || Logging.debug();
  }
}
