package dev.k8swasm.cli;

import java.util.Map;

/**
 * Configures slf4j-simple through system properties. They must be set before the first logger is
 * created, because slf4j-simple reads them only once; values set by the user ({@code -D...}) win.
 */
final class Logging {
  static final String LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
  static final String DEBUG_ENV = "K8S_WASM_DEBUG";

  private static volatile boolean debug;

  private Logging() {}

  /** Warn level to stderr, short lines; unless already configured. */
  static void configureDefaults() {
    setIfAbsent(LEVEL, debug ? "debug" : "warn");
    setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
    setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
    // what a person waits for (e.g. the first compile of a big module) is shown at info level
    setIfAbsent("org.slf4j.simpleLogger.log.dev.k8swasm.progress", debug ? "debug" : "info");
  }

  /** Configures the level: debug when asked for, else warn. */
  static void configure(boolean debugRequested) {
    debug = debugRequested;
    if (debugRequested && System.getProperty(LEVEL) == null) {
      System.setProperty(LEVEL, "debug");
    }
    configureDefaults();
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

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
