package dev.k8swasm.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A loaded configuration: the module entries in order.
 *
 * @param modules the module entries, in configuration order
 * @param implicitAudiences authentication: the server's own audiences, used when a module returns
 *     none (empty: a module vouches for the requested audiences)
 * @param file the file it was read from, if any
 */
public record PolicyConfig(
    List<ModuleConfig> modules, List<String> implicitAudiences, Optional<Path> file) {

  public PolicyConfig {
    modules = List.copyOf(modules);
    implicitAudiences = List.copyOf(implicitAudiences);
  }
}
