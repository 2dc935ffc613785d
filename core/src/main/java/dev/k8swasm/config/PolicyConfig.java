package dev.k8swasm.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A loaded configuration: the module entries in order. Immutable; {@link ConfigLoader} makes them,
 * or {@link #of}.
 */
public final class PolicyConfig {
  private final List<ModuleConfig> modules;
  private final List<String> implicitAudiences;
  private final Path file;
  private final CacheConfig cache;

  private PolicyConfig(
      List<ModuleConfig> modules, List<String> implicitAudiences, Path file, CacheConfig cache) {
    this.modules = List.copyOf(modules);
    this.implicitAudiences = List.copyOf(implicitAudiences);
    this.file = file;
    this.cache = cache;
  }

  /**
   * A configuration of {@code modules}.
   *
   * @param implicitAudiences authentication: the server's own audiences, used when a module returns
   *     none (empty: a module vouches for the requested audiences)
   * @param file the file it was read from; null for none
   */
  public static PolicyConfig of(
      List<ModuleConfig> modules, List<String> implicitAudiences, Path file) {
    return new PolicyConfig(modules, implicitAudiences, file, null);
  }

  /**
   * A configuration of {@code modules} whose chain keeps a decision cache.
   *
   * @param cache the decision cache; null for none
   * @see #of(List, List, Path)
   */
  public static PolicyConfig of(
      List<ModuleConfig> modules, List<String> implicitAudiences, Path file, CacheConfig cache) {
    return new PolicyConfig(modules, implicitAudiences, file, cache);
  }

  /** The module entries, in configuration order. */
  public List<ModuleConfig> modules() {
    return modules;
  }

  /**
   * Authentication: the server's own audiences, used when a module returns none (empty: a module
   * vouches for the requested audiences).
   */
  public List<String> implicitAudiences() {
    return implicitAudiences;
  }

  /**
   * Authentication and authorization: the chain's decision cache ({@code cache:}), if the file asks
   * for one (off by default).
   */
  public Optional<CacheConfig> cache() {
    return Optional.ofNullable(cache);
  }

  /** The file it was read from, if any. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  @Override
  public String toString() {
    return "PolicyConfig[" + modules.size() + " modules" + (file == null ? "" : ", " + file) + "]";
  }
}
