package dev.k8swasm.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.admission.FailurePolicy;
import dev.k8swasm.admission.LabelSelector;
import dev.k8swasm.admission.ReinvocationPolicy;
import dev.k8swasm.admission.rules.RuleWithOperations;
import dev.k8swasm.authz.AuthorizationFailurePolicy;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleType;
import dev.k8swasm.source.ModuleReference;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One module entry of a configuration file, validated and with its path resolved. Immutable; {@link
 * ConfigLoader} makes them, or build one with {@link #builder(String, ModuleReference)}.
 */
public final class ModuleConfig {
  private final String name;
  private final ModuleReference module;
  private final JsonNode settings;
  private final boolean debug;
  private final Boolean mutating;
  private final ModuleType type;
  private final List<RuleWithOperations> rules;
  private final FailurePolicy failurePolicy;
  private final AuthorizationFailurePolicy authorizationFailurePolicy;
  private final Limits limits;
  private final Engine engine;
  private final InstanceStrategy strategy;
  private final LabelSelector namespaceSelector;
  private final LabelSelector objectSelector;
  private final ReinvocationPolicy reinvocationPolicy;
  private final Map<String, JsonNode> options;
  private final Map<String, String> invalidFields;
  private final String source;

  private ModuleConfig(Builder b) {
    this.name = b.name;
    this.module = b.module;
    this.settings = b.settings;
    this.debug = b.debug;
    this.mutating = b.mutating;
    this.type = b.type;
    this.rules = b.rules;
    this.failurePolicy = b.failurePolicy;
    this.authorizationFailurePolicy = b.authorizationFailurePolicy;
    this.limits = b.limits;
    this.engine = b.engine;
    this.strategy = b.strategy;
    this.namespaceSelector = b.namespaceSelector;
    this.objectSelector = b.objectSelector;
    this.reinvocationPolicy = b.reinvocationPolicy;
    this.options = b.options;
    this.invalidFields = b.invalidFields;
    this.source = b.source;
  }

  /**
   * A builder for the entry of module {@code name} at {@code module}; {@link Builder#source} says
   * where it was written (default: {@code name}).
   */
  public static Builder builder(String name, ModuleReference module) {
    return new Builder(name, module);
  }

  /** A builder for the entry of module {@code name} in the local file {@code module}. */
  public static Builder builder(String name, Path module) {
    return new Builder(name, ModuleReference.of(module));
  }

  /** The module's name (default: the file name without {@code .wasm}). */
  public String name() {
    return name;
  }

  /**
   * Where the module comes from: a local file (resolved against the configuration file's folder) or
   * a URI such as {@code registry://host/repo:tag}.
   */
  public ModuleReference module() {
    return module;
  }

  /** The settings passed on every call, if any. */
  public Optional<JsonNode> settings() {
    return Optional.ofNullable(settings);
  }

  /** Whether inputs and outputs are logged (tokens redacted). */
  public boolean debug() {
    return debug;
  }

  /** Admission: whether it runs in the mutating phase, if set. */
  public Optional<Boolean> mutating() {
    return Optional.ofNullable(mutating);
  }

  /** The module type (default {@link ModuleType#WASI}). */
  public ModuleType type() {
    return type;
  }

  /** Admission: the rules, if set; absent = never called (unless the module declares rules). */
  public Optional<List<RuleWithOperations>> rules() {
    return Optional.ofNullable(rules);
  }

  /** Admission: the failure policy, if set ({@code Fail} or {@code Ignore}). */
  public Optional<FailurePolicy> failurePolicy() {
    return Optional.ofNullable(failurePolicy);
  }

  /**
   * Authorization: the failure policy, if set ({@code NoOpinion} or {@code Deny}); a {@code
   * failurePolicy} field sets whichever of the two its value belongs to.
   */
  public Optional<AuthorizationFailurePolicy> authorizationFailurePolicy() {
    return Optional.ofNullable(authorizationFailurePolicy);
  }

  /** The limits (defaults where not set). */
  public Limits limits() {
    return limits;
  }

  /** Compiler or interpreter (default compiler). */
  public Engine engine() {
    return engine;
  }

  /** Fresh instances or snapshots, if set. */
  public Optional<InstanceStrategy> strategy() {
    return Optional.ofNullable(strategy);
  }

  /** Admission: the namespace selector, if set. */
  public Optional<LabelSelector> namespaceSelector() {
    return Optional.ofNullable(namespaceSelector);
  }

  /** Admission: the object selector, if set. */
  public Optional<LabelSelector> objectSelector() {
    return Optional.ofNullable(objectSelector);
  }

  /** Admission: the reinvocation policy, if set. */
  public Optional<ReinvocationPolicy> reinvocationPolicy() {
    return Optional.ofNullable(reinvocationPolicy);
  }

  /** Runtime-specific keys (e.g. Kubewarden's {@code executionMode}). */
  public Map<String, JsonNode> options() {
    return options;
  }

  /**
   * Fields whose value the loader could not parse, as written ({@code failurePolicy}, {@code
   * reinvocationPolicy}): the chain that uses the entry reports them with its module's problems, in
   * the words of its kind.
   */
  public Map<String, String> invalidFields() {
    return invalidFields;
  }

  /** Where the entry was read, for messages: {@code file: modules[i] (name)}. */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return "ModuleConfig[" + source + ", type=" + type + ", module=" + module + "]";
  }

  /** Builds {@link ModuleConfig}s; setters of optional fields take null for "not set". */
  public static final class Builder {
    private String name;
    private ModuleReference module;
    private JsonNode settings;
    private boolean debug = false;
    private Boolean mutating;
    private ModuleType type = ModuleType.WASI;
    private List<RuleWithOperations> rules;
    private FailurePolicy failurePolicy;
    private AuthorizationFailurePolicy authorizationFailurePolicy;
    private Limits limits = Limits.defaults();
    private Engine engine = Engine.COMPILER;
    private InstanceStrategy strategy;
    private LabelSelector namespaceSelector;
    private LabelSelector objectSelector;
    private ReinvocationPolicy reinvocationPolicy;
    private Map<String, JsonNode> options = Map.of();
    private Map<String, String> invalidFields = Map.of();
    private String source;

    private Builder(String name, ModuleReference module) {
      this.name = Objects.requireNonNull(name, "name");
      this.module = Objects.requireNonNull(module, "module");
      this.source = name;
    }

    public Builder settings(JsonNode settings) {
      this.settings = settings;
      return this;
    }

    public Builder debug(boolean debug) {
      this.debug = debug;
      return this;
    }

    public Builder mutating(Boolean mutating) {
      this.mutating = mutating;
      return this;
    }

    public Builder type(ModuleType type) {
      this.type = Objects.requireNonNull(type, "type");
      return this;
    }

    public Builder rules(List<RuleWithOperations> rules) {
      this.rules = rules == null ? null : List.copyOf(rules);
      return this;
    }

    public Builder failurePolicy(FailurePolicy failurePolicy) {
      this.failurePolicy = failurePolicy;
      return this;
    }

    public Builder authorizationFailurePolicy(
        AuthorizationFailurePolicy authorizationFailurePolicy) {
      this.authorizationFailurePolicy = authorizationFailurePolicy;
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
      this.strategy = strategy;
      return this;
    }

    public Builder namespaceSelector(LabelSelector namespaceSelector) {
      this.namespaceSelector = namespaceSelector;
      return this;
    }

    public Builder objectSelector(LabelSelector objectSelector) {
      this.objectSelector = objectSelector;
      return this;
    }

    public Builder reinvocationPolicy(ReinvocationPolicy reinvocationPolicy) {
      this.reinvocationPolicy = reinvocationPolicy;
      return this;
    }

    public Builder options(Map<String, JsonNode> options) {
      this.options = Map.copyOf(options);
      return this;
    }

    public Builder source(String source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /** Fields whose value could not be parsed, as written (see {@link #invalidFields()}). */
    public Builder invalidFields(Map<String, String> invalidFields) {
      this.invalidFields = Map.copyOf(invalidFields);
      return this;
    }

    public ModuleConfig build() {
      return new ModuleConfig(this);
    }
  }
}
