package dev.k8swasm.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration for the {@code k8s-wasm} command, found through {@code ServiceLoader}
 * when the first logger is made: no configuration file is looked for or parsed. See {@code
 * --log-fmt} and {@code --log-level}.
 */
public final class LogbackConfigurator extends ContextAwareBase implements Configurator {

  /** Used by {@code ServiceLoader}. */
  public LogbackConfigurator() {}

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    LogbackSetup.configure(context);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
