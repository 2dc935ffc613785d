package dev.k8swasm.config;

import dev.k8swasm.admission.NamespaceLabels;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.observe.DecisionCacheListener;
import dev.k8swasm.observe.EvaluationListener;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * How {@link Chains} turns a configuration into chains: the listener every module reports to, where
 * namespace labels come from, a hook to adjust each module's spec (e.g. to add host capability
 * handlers, a fixed clock, or limits given on a command line) and a hook to decorate each loaded
 * module (e.g. to record its calls in tests), and the listener of the decision caches that
 * configurations ask for ({@code cache:}). Immutable.
 */
public final class ChainOptions {
  private static final ChainOptions DEFAULTS = builder().build();

  private final EvaluationListener listener;
  private final NamespaceLabels namespaceLabels;
  private final UnaryOperator<ModuleSpec.Builder> specCustomizer;
  private final UnaryOperator<PolicyModule> moduleDecorator;
  private final DecisionCacheListener cacheListener;

  private ChainOptions(Builder b) {
    this.listener = b.listener;
    this.namespaceLabels = b.namespaceLabels;
    this.specCustomizer = b.specCustomizer;
    this.moduleDecorator = b.moduleDecorator;
    this.cacheListener = b.cacheListener;
  }

  /** No listener, no namespace labels, specs as configured. */
  public static ChainOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b =
        builder()
            .listener(listener)
            .specCustomizer(specCustomizer)
            .moduleDecorator(moduleDecorator)
            .cacheListener(cacheListener);
    b.namespaceLabels = namespaceLabels;
    return b;
  }

  /** The listener every module reports to. */
  public EvaluationListener listener() {
    return listener;
  }

  /** Where namespace labels come from, if configured. */
  public Optional<NamespaceLabels> namespaceLabels() {
    return Optional.ofNullable(namespaceLabels);
  }

  /** Applied to every module's spec builder before loading. */
  public UnaryOperator<ModuleSpec.Builder> specCustomizer() {
    return specCustomizer;
  }

  /**
   * Applied to every loaded module before it joins a chain: what it returns is what the chain asks
   * (and closes). Identity by default.
   */
  public UnaryOperator<PolicyModule> moduleDecorator() {
    return moduleDecorator;
  }

  /** The listener of the decision caches of authentication and authorization chains. */
  public DecisionCacheListener cacheListener() {
    return cacheListener;
  }

  /** Builds {@link ChainOptions}. */
  public static final class Builder {
    private EvaluationListener listener = EvaluationListener.NONE;
    private NamespaceLabels namespaceLabels;
    private UnaryOperator<ModuleSpec.Builder> specCustomizer = UnaryOperator.identity();
    private UnaryOperator<PolicyModule> moduleDecorator = UnaryOperator.identity();
    private DecisionCacheListener cacheListener = DecisionCacheListener.NONE;

    private Builder() {}

    public Builder listener(EvaluationListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public Builder namespaceLabels(NamespaceLabels namespaceLabels) {
      this.namespaceLabels = Objects.requireNonNull(namespaceLabels, "namespaceLabels");
      return this;
    }

    public Builder specCustomizer(UnaryOperator<ModuleSpec.Builder> specCustomizer) {
      this.specCustomizer = Objects.requireNonNull(specCustomizer, "specCustomizer");
      return this;
    }

    /**
     * Decorates every loaded module (default: identity); the decorator must delegate {@link
     * PolicyModule#close()} to the module it wraps.
     */
    public Builder moduleDecorator(UnaryOperator<PolicyModule> moduleDecorator) {
      this.moduleDecorator = Objects.requireNonNull(moduleDecorator, "moduleDecorator");
      return this;
    }

    /**
     * Receives the hits, misses, evictions and expiries of the decision caches that configurations
     * ask for (default: none).
     */
    public Builder cacheListener(DecisionCacheListener cacheListener) {
      this.cacheListener = Objects.requireNonNull(cacheListener, "cacheListener");
      return this;
    }

    public ChainOptions build() {
      return new ChainOptions(this);
    }
  }
}
