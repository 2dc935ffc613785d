package dev.k8swasm.cli;

import java.util.Locale;
import java.util.Map;

/**
 * Configures logging (Logback) for the command: lines on stderr, as text ({@code LEVEL Logger -
 * message}) or as JSON lines ({@code --log-fmt json}; {@code KUBEWARDEN_LOG_FMT} as policy-server,
 * overridden by the flag), at the level of {@code --log-level} (else warn, with progress and {@code
 * serve}'s own lines at info; debug with {@code --debug}; {@code KUBEWARDEN_LOG_LEVEL} as
 * policy-server). The level of one logger can still be set with {@code
 * -Dorg.slf4j.simpleLogger.log.NAME=LEVEL} and the default with {@code
 * -Dorg.slf4j.simpleLogger.defaultLogLevel=LEVEL}, as before.
 *
 * <p>{@link #apply()} may be called at any time: it reconfigures the loggers already made. Logback
 * itself is touched only by {@link LogbackSetup}, so that without it (a project depending on this
 * artifact with another SLF4J backend) the flags are accepted and that backend is left alone.
 */
final class Logging {
  static final String LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
  static final String LOGGER_LEVEL = "org.slf4j.simpleLogger.log.";
  static final String DEBUG_ENV = "K8S_WASM_DEBUG";

  /**
   * {@code --log-fmt}: {@code otlp} is policy-server's way of turning on OTLP export of traces
   * ({@code serve}); its log lines are text.
   */
  enum Format {
    TEXT,
    JSON,
    OTLP
  }

  /** {@code --log-level}. */
  enum LogLevel {
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR
  }

  private static final boolean LOGBACK = logbackPresent();

  private static volatile boolean debug;
  private static volatile boolean serving;
  private static volatile Format format = Format.TEXT;
  private static volatile LogLevel level;

  private Logging() {}

  /** Configures the level: debug when asked for, else warn. */
  static void configure(boolean debugRequested) {
    debug = debugRequested;
    apply();
  }

  /** Sets the format of the lines ({@code --log-fmt}) and reconfigures. */
  static void format(Format f) {
    format = f == null ? Format.TEXT : f;
    apply();
  }

  /** Sets the level ({@code --log-level}) and reconfigures. */
  static void level(LogLevel l) {
    level = l;
    apply();
  }

  /** Whether the lines are JSON lines ({@code --log-fmt json}). */
  static boolean json() {
    return format == Format.JSON;
  }

  /** Whether {@code --log-fmt otlp} asked for OTLP export (policy-server's flag). */
  static boolean otlp() {
    return format == Format.OTLP;
  }

  /** {@code serve}: the server's own lines (listening, reloads, requests) are shown at info. */
  static void serving() {
    serving = true;
    apply();
  }

  /**
   * Reads {@code --log-fmt} and {@code --log-level} from {@code args} before the command line is
   * parsed, so that the first lines are already in the asked format (invalid values are left to the
   * parser to report).
   */
  static void configure(String[] args, Map<String, String> env) {
    debug = debugRequested(args, env);
    // policy-server's environment variables, overridden by the flags
    try {
      String f = env.get("KUBEWARDEN_LOG_FMT");
      if (f != null && !f.isBlank()) {
        format = Format.valueOf(f.trim().toUpperCase(Locale.ROOT));
      }
    } catch (IllegalArgumentException e) {
      // ignored: not one of text, json, otlp
    }
    try {
      String l = env.get("KUBEWARDEN_LOG_LEVEL");
      if (l != null && !l.isBlank()) {
        level = LogLevel.valueOf(l.trim().toUpperCase(Locale.ROOT));
      }
    } catch (IllegalArgumentException e) {
      // ignored: not one of trace, debug, info, warn, error
    }
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        break;
      }
      String value = null;
      String name = a;
      int eq = a.indexOf('=');
      if (eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      } else if (i + 1 < args.length) {
        value = args[i + 1];
      }
      if (value == null) {
        continue;
      }
      try {
        if (name.equals("--log-fmt")) {
          format = Format.valueOf(value.toUpperCase(Locale.ROOT));
        } else if (name.equals("--log-level")) {
          level = LogLevel.valueOf(value.toUpperCase(Locale.ROOT));
        }
      } catch (IllegalArgumentException e) {
        // picocli reports it
      }
    }
    apply();
  }

  /** (Re)configures Logback from the current settings, when Logback is the SLF4J backend. */
  static void apply() {
    // Logback is an optional dependency (always in the executable jar): without it, the
    // configuration is the SLF4J backend's own. LogbackSetup is loaded only with Logback.
    if (LOGBACK) {
      LogbackSetup.apply();
    }
  }

  private static boolean logbackPresent() {
    try {
      Class.forName("ch.qos.logback.classic.LoggerContext", false, Logging.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The format of the lines. */
  static Format format() {
    return format;
  }

  /** The level asked for, or null for the defaults. */
  static LogLevel level() {
    return level;
  }

  /** Whether {@code serve} runs (its own lines at info by default). */
  static boolean isServing() {
    return serving;
  }

  /** Whether debug output was asked for by {@code K8S_WASM_DEBUG} or a {@code --debug} flag. */
  static boolean debugRequested(String[] args, Map<String, String> env) {
    if (envDebug(env)) {
      return true;
    }
    for (String arg : args) {
      if (arg.equals("--")) {
        return false;
      }
      if (arg.equals("--debug")) {
        return true;
      }
    }
    return false;
  }

  /** Whether the environment asks for debug output ({@code K8S_WASM_DEBUG=1} or {@code true}). */
  static boolean envDebug(Map<String, String> env) {
    String value = env.get(DEBUG_ENV);
    return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
  }

  /** Whether debug output is on for this process (flag seen by main, or environment). */
  static boolean debug() {
    return debug || envDebug(System.getenv());
  }
}
