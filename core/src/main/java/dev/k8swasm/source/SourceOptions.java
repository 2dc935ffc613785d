package dev.k8swasm.source;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Options for {@link ModuleSourceResolver}s: whether to fetch again when a copy is already stored,
 * and resolver-specific settings (credentials files, trusted certificates, signature rules) looked
 * up by their type. Immutable; build with {@link #builder()}.
 */
public final class SourceOptions {
  private static final SourceOptions DEFAULTS = builder().build();

  private final PullPolicy pullPolicy;
  private final Map<Class<?>, Object> extensions;

  private SourceOptions(Builder b) {
    this.pullPolicy = b.pullPolicy;
    this.extensions = Map.copyOf(b.extensions);
  }

  /** Pull only what is not stored yet, no resolver-specific settings. */
  public static SourceOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** When a stored copy is used instead of fetching. */
  public PullPolicy pullPolicy() {
    return pullPolicy;
  }

  /** A resolver-specific setting, looked up by its type. */
  public <T> Optional<T> extension(Class<T> type) {
    return Optional.ofNullable(extensions.get(type)).map(type::cast);
  }

  /** A builder holding these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.pullPolicy = pullPolicy;
    b.extensions.putAll(extensions);
    return b;
  }

  /** When a resolver fetches a module it has already stored. */
  public enum PullPolicy {
    /** Use the stored copy when there is one (a pinned digest is always checked). */
    IF_NOT_PRESENT,
    /** Always ask the source again (a tag may have moved). */
    ALWAYS
  }

  /** Builds {@link SourceOptions}. */
  public static final class Builder {
    private PullPolicy pullPolicy = PullPolicy.IF_NOT_PRESENT;
    private final Map<Class<?>, Object> extensions = new LinkedHashMap<>();

    private Builder() {}

    /** When a stored copy is used (default {@link PullPolicy#IF_NOT_PRESENT}). */
    public Builder pullPolicy(PullPolicy pullPolicy) {
      this.pullPolicy = Objects.requireNonNull(pullPolicy, "pullPolicy");
      return this;
    }

    /** A resolver-specific setting, looked up by its type. */
    public <T> Builder extension(Class<T> type, T value) {
      extensions.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Builds the options. */
    public SourceOptions build() {
      return new SourceOptions(this);
    }
  }
}
