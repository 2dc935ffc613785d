package dev.k8swasm.oci;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of registry access and the local store, named after kwctl's flags: the Docker {@code
 * config.json} with credentials, kwctl's {@code sources.yml} (insecure registries, extra
 * certificate authorities), a {@code verification-config.yml} (signatures required before a module
 * is used), the store directory and limits. Immutable; build with {@link #builder()}. Pass it to
 * resolution as a {@link dev.k8swasm.source.SourceOptions} extension.
 */
public final class OciOptions {
  /**
   * The system property naming the store directory (default: the cache directory's {@code store}).
   */
  public static final String STORE_PROPERTY = "k8swasm.store.dir";

  private final Path dockerConfig;
  private final Path sources;
  private final Path verificationConfig;
  private final Path storeDir;
  private final long maxManifestBytes;
  private final long maxModuleBytes;
  private final Duration timeout;

  private OciOptions(Builder b) {
    this.dockerConfig = b.dockerConfig;
    this.sources = b.sources;
    this.verificationConfig = b.verificationConfig;
    this.storeDir = b.storeDir != null ? b.storeDir : defaultStoreDir();
    this.maxManifestBytes = b.maxManifestBytes;
    this.maxModuleBytes = b.maxModuleBytes;
    this.timeout = b.timeout;
  }

  /** Defaults: {@code ~/.docker/config.json} when present, no sources file, no verification. */
  public static OciOptions defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The Docker {@code config.json} with registry credentials: as set, else {@code
   * $DOCKER_CONFIG/config.json} or {@code ~/.docker/config.json} when it exists.
   */
  public Optional<Path> dockerConfig() {
    if (dockerConfig != null) {
      return Optional.of(dockerConfig);
    }
    String env = System.getenv("DOCKER_CONFIG");
    Path p =
        env != null
            ? Path.of(env, "config.json")
            : Path.of(System.getProperty("user.home"), ".docker", "config.json");
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  /** kwctl's {@code sources.yml}: {@code insecure_sources} and {@code source_authorities}. */
  public Optional<Path> sources() {
    return Optional.ofNullable(sources);
  }

  /** kwctl's {@code verification-config.yml}; when set, only signed modules are used. */
  public Optional<Path> verificationConfig() {
    return Optional.ofNullable(verificationConfig);
  }

  /** The local store's directory. */
  public Path storeDir() {
    return storeDir;
  }

  /** The largest manifest, index or signature document accepted (default 4 MiB). */
  public long maxManifestBytes() {
    return maxManifestBytes;
  }

  /** The largest module (Wasm layer) accepted (default 256 MiB). */
  public long maxModuleBytes() {
    return maxModuleBytes;
  }

  /** The connect timeout and the longest wait for a response's first byte (default 30 s). */
  public Duration timeout() {
    return timeout;
  }

  /**
   * {@code k8swasm.store.dir}, else {@code store} in the cache directory ({@code k8swasm.cache.dir}
   * unless {@code off}, else {@code $XDG_CACHE_HOME/k8s-wasm} or {@code ~/.cache/k8s-wasm}).
   */
  public static Path defaultStoreDir() {
    String store = System.getProperty(STORE_PROPERTY);
    if (store != null && !store.isBlank()) {
      return Path.of(store);
    }
    String cache = System.getProperty("k8swasm.cache.dir");
    if (cache != null && !cache.isBlank() && !cache.equals("off")) {
      return Path.of(cache, "store");
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg, "k8s-wasm")
            : Path.of(System.getProperty("user.home"), ".cache", "k8s-wasm");
    return base.resolve("store");
  }

  /** Builds {@link OciOptions}. */
  public static final class Builder {
    private Path dockerConfig;
    private Path sources;
    private Path verificationConfig;
    private Path storeDir;
    private long maxManifestBytes = 4L << 20;
    private long maxModuleBytes = 256L << 20;
    private Duration timeout = Duration.ofSeconds(30);

    private Builder() {}

    /** The Docker {@code config.json} to read credentials from. */
    public Builder dockerConfig(Path dockerConfig) {
      this.dockerConfig = Objects.requireNonNull(dockerConfig, "dockerConfig");
      return this;
    }

    /** kwctl's {@code sources.yml}. */
    public Builder sources(Path sources) {
      this.sources = Objects.requireNonNull(sources, "sources");
      return this;
    }

    /** kwctl's {@code verification-config.yml}; modules must then be signed accordingly. */
    public Builder verificationConfig(Path verificationConfig) {
      this.verificationConfig = Objects.requireNonNull(verificationConfig, "verificationConfig");
      return this;
    }

    /** The local store's directory. */
    public Builder storeDir(Path storeDir) {
      this.storeDir = Objects.requireNonNull(storeDir, "storeDir");
      return this;
    }

    /** The largest manifest accepted, in bytes. */
    public Builder maxManifestBytes(long maxManifestBytes) {
      this.maxManifestBytes = positive(maxManifestBytes, "maxManifestBytes");
      return this;
    }

    /** The largest module accepted, in bytes. */
    public Builder maxModuleBytes(long maxModuleBytes) {
      this.maxModuleBytes = positive(maxModuleBytes, "maxModuleBytes");
      return this;
    }

    /** The connect and first-byte timeout. */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("timeout must be more than zero");
      }
      this.timeout = timeout;
      return this;
    }

    private static long positive(long v, String name) {
      if (v <= 0) {
        throw new IllegalArgumentException(name + " must be more than zero");
      }
      return v;
    }

    /** Builds the options. */
    public OciOptions build() {
      return new OciOptions(this);
    }
  }
}
