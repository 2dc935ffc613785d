package dev.k8swasm.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --debug}, {@code --log-fmt} and {@code --log-level} flags, shared by every subcommand.
 */
public final class DebugOption {

  @Option(
      names = "--debug",
      description =
          "Debug logging (module inputs and outputs, tokens redacted) and stack traces on errors."
              + " Same as K8S_WASM_DEBUG=1.")
  boolean debug;

  /** Used by picocli. */
  public DebugOption() {}

  /**
   * {@code --log-fmt}: text lines or JSON lines on stderr.
   *
   * @param format the format
   */
  @Option(
      names = "--log-fmt",
      paramLabel = "text|json|otlp",
      description =
          "Log lines on stderr as text (default) or as JSON lines (timestamp, level, logger,"
              + " message and fields such as policy_id, request_uid, allowed, duration_ms)."
              + " otlp: text lines, and serve exports traces and metrics over OTLP (as"
              + " OTEL_EXPORTER_OTLP_ENDPOINT does). Default: KUBEWARDEN_LOG_FMT, else text.")
  void logFormat(Logging.Format format) {
    Logging.format(format);
  }

  /**
   * {@code --log-level}: the level of every logger.
   *
   * @param level the level
   */
  @Option(
      names = "--log-level",
      paramLabel = "trace|debug|info|warn|error",
      description =
          "Log level of every logger (default: warn, with progress and serve's own lines at"
              + " info; debug with --debug; KUBEWARDEN_LOG_LEVEL). Tokens never appear, at any"
              + " level.")
  void logLevel(Logging.LogLevel level) {
    Logging.level(level);
  }

  /** Whether debug output is on: this flag, {@code K8S_WASM_DEBUG=1} or a flag seen by main. */
  public boolean enabled() {
    return debug || Logging.debug();
  }
}
