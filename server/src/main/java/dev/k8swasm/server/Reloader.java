package dev.k8swasm.server;

import dev.k8swasm.config.ChainOptions;
import dev.k8swasm.config.ConfigException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the configuration, first at startup and then whenever its files change: the new
 * configuration is read, every module loaded and validated on the watcher's thread while requests
 * keep being served by the current one, and only a complete configuration replaces it. A broken one
 * is logged and counted, and the current one keeps serving; the same broken content is not retried
 * until a file changes again. With {@code continueOnPolicyErrors}, a policy of a policies.yml that
 * fails to initialize does not make the configuration broken (see {@link
 * Policies#load(ServerConfig, dev.k8swasm.config.ChainOptions, long, boolean)}).
 */
final class Reloader {
  private static final Logger LOG = LoggerFactory.getLogger(Reloader.class);

  private final Path configFile;
  private final ChainOptions options;
  private final PolicyStore store;
  private final ServerMetrics metrics;
  private final ServerLimits limits;
  private final boolean continueOnPolicyErrors;
  private volatile Set<Path> files;
  private ServerConfig.FileSettings startSettings;
  private String lastDigest;
  private volatile long generation;

  Reloader(
      Path configFile,
      ChainOptions options,
      PolicyStore store,
      ServerMetrics metrics,
      ServerLimits limits,
      boolean continueOnPolicyErrors) {
    this.configFile = configFile;
    this.continueOnPolicyErrors = continueOnPolicyErrors;
    this.limits = limits;
    this.options = options;
    this.store = store;
    this.metrics = metrics;
    this.files = ServerConfig.filesOf(configFile);
    this.lastDigest = FileWatcher.digest(files);
  }

  /** The files making up the configuration. */
  Set<Path> files() {
    return files;
  }

  /**
   * Loads {@code config} as the first configuration.
   *
   * @throws ConfigException when a module cannot be loaded
   */
  synchronized void loadInitial(ServerConfig config) {
    startSettings = config.settings();
    files = config.files();
    lastDigest = FileWatcher.digest(files);
    long start = System.nanoTime();
    Policies p = Policies.load(config, options, generation + 1, continueOnPolicyErrors);
    store.install(p);
    generation = p.generation();
    metrics.loaded();
    LOG.info(
        "configuration loaded generation={} {} duration_ms={}",
        generation,
        p.describe(),
        (System.nanoTime() - start) / 1_000_000);
  }

  /** Reloads when the files' content differs from what was last loaded (or tried). */
  synchronized void check() {
    String digest = FileWatcher.digest(files);
    if (digest.equals(lastDigest)) {
      return;
    }
    lastDigest = digest;
    reload();
  }

  /**
   * Loads the configuration again; true when it replaced the current one. Never throws: whatever
   * goes wrong (even an {@link Error}) is logged and counted, and the current configuration keeps
   * serving.
   */
  synchronized boolean reload() {
    try {
      return tryReload();
    } catch (Throwable e) {
      return failed(new ConfigException("loading failed: " + e));
    }
  }

  private boolean tryReload() {
    long start = System.nanoTime();
    ServerConfig config;
    try {
      config = ServerConfig.read(configFile, limits.maxConfigBytes(), limits.maxModuleBytes());
    } catch (ConfigException e) {
      Set<Path> keep = new LinkedHashSet<>(files);
      keep.addAll(ServerConfig.filesOf(configFile));
      track(keep);
      return failed(e);
    }
    track(config.files());
    if (startSettings != null && !config.settings().equals(startSettings)) {
      LOG.warn(
          "server settings in {} changed; they take effect when the server is restarted"
              + " (modules are reloaded now)",
          configFile);
    }
    try {
      Policies p = Policies.load(config, options, generation + 1, continueOnPolicyErrors);
      store.install(p);
      generation = p.generation();
      metrics.reload(true);
      LOG.info(
          "configuration reloaded generation={} {} duration_ms={}",
          generation,
          p.describe(),
          (System.nanoTime() - start) / 1_000_000);
      return true;
    } catch (ConfigException e) {
      return failed(e);
    } catch (RuntimeException e) {
      return failed(new ConfigException("loading failed: " + e));
    }
  }

  private void track(Set<Path> next) {
    if (!next.equals(files)) {
      files = Set.copyOf(next);
      lastDigest = FileWatcher.digest(files);
    }
  }

  private boolean failed(ConfigException e) {
    metrics.reload(false);
    LOG.error(
        "configuration reload rejected; generation={} keeps serving: {}",
        generation,
        LogText.escape(String.valueOf(e.getMessage())));
    return false;
  }

  /** The generation serving now. */
  long generation() {
    return generation;
  }
}
