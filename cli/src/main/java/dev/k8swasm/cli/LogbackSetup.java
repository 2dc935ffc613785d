package dev.k8swasm.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.LoggerFactory;

/** Applies {@link Logging}'s settings to Logback: one appender on stderr, levels. */
final class LogbackSetup {
  private LogbackSetup() {}

  /** Reconfigures Logback, if it is the SLF4J backend. */
  static void apply() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      configure(context);
    }
  }

  /** Configures {@code context} from {@link Logging}'s settings. */
  static void configure(LoggerContext context) {
    synchronized (Logging.class) {
      context.reset();
      Encoder<ILoggingEvent> encoder;
      if (Logging.format() == Logging.Format.JSON) {
        JsonLinesEncoder json = new JsonLinesEncoder();
        json.setContext(context);
        encoder = json;
      } else {
        TextLinesEncoder text = new TextLinesEncoder();
        text.setContext(context);
        encoder = text;
      }
      encoder.start();
      ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
      stderr.setContext(context);
      stderr.setName("stderr");
      stderr.setTarget("System.err");
      stderr.setEncoder(encoder);
      stderr.start();
      Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      root.addAppender(stderr);
      Logging.LogLevel asked = Logging.level();
      boolean debug = Logging.debug();
      if (asked != null) {
        root.setLevel(Level.toLevel(asked.name()));
      } else {
        Level base = debug ? Level.DEBUG : Level.WARN;
        root.setLevel(Level.toLevel(System.getProperty(Logging.LEVEL), base));
        // what a person waits for (e.g. the first compile of a big module) is shown at info
        context.getLogger("dev.k8swasm.progress").setLevel(debug ? Level.DEBUG : Level.INFO);
        if (Logging.isServing() && !debug) {
          context.getLogger("dev.k8swasm.server").setLevel(Level.INFO);
        }
      }
      // a level set for one logger with -Dorg.slf4j.simpleLogger.log.NAME=LEVEL wins
      for (String key : System.getProperties().stringPropertyNames()) {
        if (key.startsWith(Logging.LOGGER_LEVEL) && key.length() > Logging.LOGGER_LEVEL.length()) {
          Level l = Level.toLevel(System.getProperty(key), null);
          if (l != null) {
            context.getLogger(key.substring(Logging.LOGGER_LEVEL.length())).setLevel(l);
          }
        }
      }
    }
  }
}
