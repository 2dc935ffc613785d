package dev.k8swasm.module;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.source.ModuleReference;
import dev.k8swasm.source.ResolvedModule;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Everything a {@link ModuleRuntime} needs to load one module: where its bytes are, its settings,
 * limits and engine choices. Immutable; build with {@link #builder(String)}.
 */
public final class ModuleSpec {
  private final String name;
  private final Path path;
  private final byte[] bytes;
  private final ModuleReference source;
  private final ModuleType type;
  private final JsonNode settings;
  private final boolean debug;
  private final Limits limits;
  private final Engine engine;
  private final InstanceStrategy strategy;
  private final Map<String, JsonNode> options;
  private final Map<Class<?>, Object> extensions;
  private final Clock clock;
  private final Supplier<Random> random;

  private ModuleSpec(Builder b) {
    this.name = b.name;
    this.path = b.path;
    this.bytes = b.bytes;
    this.source = b.source;
    this.type = b.type;
    this.settings = b.settings == null ? null : b.settings.deepCopy();
    this.debug = b.debug;
    this.limits = b.limits;
    this.engine = b.engine;
    this.strategy = b.strategy;
    this.options = Map.copyOf(b.options);
    this.extensions = Map.copyOf(b.extensions);
    this.clock = b.clock;
    this.random = b.random;
  }

  /** A builder for a module called {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A builder holding this spec's values. */
  public Builder toBuilder() {
    Builder b = new Builder(name);
    b.path = path;
    b.bytes = bytes;
    b.source = source;
    b.type = type;
    b.settings = settings;
    b.debug = debug;
    b.limits = limits;
    b.engine = engine;
    b.strategy = strategy;
    b.options.putAll(options);
    b.extensions.putAll(extensions);
    b.clock = clock;
    b.random = random;
    return b;
  }

  /** The module's name, used in every message about it. */
  public String name() {
    return name;
  }

  /** The file the module is read from, if it comes from a file. */
  public Optional<Path> path() {
    return Optional.ofNullable(path);
  }

  /**
   * Where the module comes from as written (a local path or a URI such as {@code
   * registry://host/repo:tag}), if it was given with {@link Builder#source}. A remote reference
   * without a {@link #path()} is resolved by {@link ModuleRuntimes#load}.
   */
  public Optional<ModuleReference> source() {
    return Optional.ofNullable(source);
  }

  /** The module's bytes when given directly (a copy), if it does not come from a file. */
  public Optional<byte[]> bytes() {
    return Optional.ofNullable(bytes).map(byte[]::clone);
  }

  /** The module type: {@code wasi} (default) or {@code kubewarden}. */
  public ModuleType type() {
    return type;
  }

  /** The module's settings (a copy), absent when none are configured. */
  public Optional<JsonNode> settings() {
    return Optional.ofNullable(settings).map(JsonNode::deepCopy);
  }

  /** Whether inputs and outputs are logged at debug level (bearer tokens redacted). */
  public boolean debug() {
    return debug;
  }

  /** The limits of every evaluation. */
  public Limits limits() {
    return limits;
  }

  /** Compiler (default) or interpreter. */
  public Engine engine() {
    return engine;
  }

  /** How each evaluation gets fresh state (default: {@link InstanceStrategy#SNAPSHOT}). */
  public InstanceStrategy strategy() {
    return strategy;
  }

  /** Runtime-specific options from configuration, such as Kubewarden's {@code executionMode}. */
  public Map<String, JsonNode> options() {
    return options;
  }

  /** A runtime-specific Java object supplied by the embedder (e.g. host capability handlers). */
  public <T> Optional<T> extension(Class<T> type) {
    return Optional.ofNullable(extensions.get(type)).map(type::cast);
  }

  /** The clock modules see through WASI (default: the system clock, UTC). */
  public Clock clock() {
    return clock;
  }

  /** A fresh source of randomness per evaluation, for WASI {@code random_get}. */
  public Supplier<Random> random() {
    return random;
  }

  /** A description of where the module comes from, for messages. */
  public String origin() {
    if (source != null) {
      return source.text();
    }
    return path != null ? path.toString() : "<" + bytes.length + " bytes>";
  }

  @Override
  public String toString() {
    return "ModuleSpec[name=" + name + ", type=" + type + ", origin=" + origin() + "]";
  }

  /** Builds {@link ModuleSpec}s. */
  public static final class Builder {
    private final String name;
    private Path path;
    private byte[] bytes;
    private ModuleReference source;
    private ModuleType type = ModuleType.WASI;
    private JsonNode settings;
    private boolean debug;
    private Limits limits = Limits.defaults();
    private Engine engine = Engine.COMPILER;
    private InstanceStrategy strategy = InstanceStrategy.SNAPSHOT;
    private final Map<String, JsonNode> options = new LinkedHashMap<>();
    private final Map<Class<?>, Object> extensions = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();
    private Supplier<Random> random = SecureRandom::new;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("module name must not be blank");
      }
    }

    /** Read the module from this file. */
    public Builder path(Path path) {
      this.path = Objects.requireNonNull(path, "path");
      this.bytes = null;
      this.source = null;
      return this;
    }

    /**
     * Read the module from {@code reference}: a local file is used directly; any other reference
     * (e.g. {@code registry://host/repo:tag}) is fetched by {@link ModuleRuntimes#load} through
     * {@link dev.k8swasm.source.ModuleSources}, with the {@link dev.k8swasm.source.SourceOptions}
     * set as an {@link #extension}, if any.
     */
    public Builder source(ModuleReference reference) {
      this.source = Objects.requireNonNull(reference, "reference");
      this.path = reference.localPath().orElse(null);
      this.bytes = null;
      return this;
    }

    /**
     * Read the module from the local file {@code resolved} was fetched to; messages name its
     * reference.
     */
    public Builder source(ResolvedModule resolved) {
      Objects.requireNonNull(resolved, "resolved");
      this.source = resolved.reference();
      this.path = resolved.path();
      this.bytes = null;
      return this;
    }

    /** Use these module bytes (copied). */
    public Builder bytes(byte[] bytes) {
      this.bytes = Objects.requireNonNull(bytes, "bytes").clone();
      this.path = null;
      this.source = null;
      return this;
    }

    /** The module type (default {@link ModuleType#WASI}). */
    public Builder type(ModuleType type) {
      this.type = Objects.requireNonNull(type, "type");
      return this;
    }

    /**
     * The module type called {@code type}: {@code type(ModuleType.of(type))}.
     *
     * @throws IllegalArgumentException when it is not a valid type name
     */
    public Builder type(String type) {
      return type(ModuleType.of(type));
    }

    /** The settings passed to the module on every call; null for none. */
    public Builder settings(JsonNode settings) {
      this.settings = settings;
      return this;
    }

    public Builder debug(boolean debug) {
      this.debug = debug;
      return this;
    }

    public Builder limits(Limits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    public Builder engine(Engine engine) {
      this.engine = Objects.requireNonNull(engine, "engine");
      return this;
    }

    public Builder strategy(InstanceStrategy strategy) {
      this.strategy = Objects.requireNonNull(strategy, "strategy");
      return this;
    }

    /** A runtime-specific option. */
    public Builder option(String key, JsonNode value) {
      options.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** A runtime-specific Java object, looked up by its type. */
    public <T> Builder extension(Class<T> type, T value) {
      extensions.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder random(Supplier<Random> random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Builds the spec.
     *
     * @throws IllegalStateException when neither a path nor bytes were given
     */
    public ModuleSpec build() {
      if (path == null && bytes == null && source == null) {
        throw new IllegalStateException(
            "module '"
                + name
                + "': no module path specified (set path(...), source(...) or bytes(...))");
      }
      return new ModuleSpec(this);
    }
  }
}
