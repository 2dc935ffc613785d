package dev.k8swasm.admission;

import dev.k8swasm.admission.rules.RuleWithOperations;
import java.util.List;
import java.util.Objects;

/**
 * One admission controller registered in an {@link AdmissionChain}, with what Kubernetes keeps in a
 * webhook registration: its rules, selectors, failure policy and reinvocation policy. A hook
 * without rules is never called. Immutable; build with {@link #builder(String,
 * AdmissionController)}.
 */
public final class AdmissionHook {
  private final String name;
  private final AdmissionController controller;
  private final List<RuleWithOperations> rules;
  private final FailurePolicy failurePolicy;
  private final LabelSelector namespaceSelector;
  private final LabelSelector objectSelector;
  private final ReinvocationPolicy reinvocationPolicy;

  private AdmissionHook(Builder b) {
    this.name = b.name;
    this.controller = b.controller;
    this.rules = List.copyOf(b.rules);
    this.failurePolicy = b.failurePolicy;
    this.namespaceSelector = b.namespaceSelector;
    this.objectSelector = b.objectSelector;
    this.reinvocationPolicy = b.reinvocationPolicy;
  }

  /** A builder for a hook called {@code name} running {@code controller}. */
  public static Builder builder(String name, AdmissionController controller) {
    return new Builder(name, controller);
  }

  /** The hook's name, used in messages, warnings and audit annotation keys. */
  public String name() {
    return name;
  }

  /** The controller that decides. */
  public AdmissionController controller() {
    return controller;
  }

  /** Whether the hook runs in the mutating phase: whether its controller mutates. */
  public boolean mutating() {
    return controller.mutating();
  }

  /** The rules selecting the requests it sees. */
  public List<RuleWithOperations> rules() {
    return rules;
  }

  /** What a failure of the controller means. */
  public FailurePolicy failurePolicy() {
    return failurePolicy;
  }

  /** Selects by the labels of the request's namespace. */
  public LabelSelector namespaceSelector() {
    return namespaceSelector;
  }

  /** Selects by the labels of the object (or old object). */
  public LabelSelector objectSelector() {
    return objectSelector;
  }

  /** Whether the hook runs again after later mutations. */
  public ReinvocationPolicy reinvocationPolicy() {
    return reinvocationPolicy;
  }

  @Override
  public String toString() {
    return "AdmissionHook[" + name + (mutating() ? ", mutating]" : "]");
  }

  /** Builds {@link AdmissionHook}s. */
  public static final class Builder {
    private final String name;
    private final AdmissionController controller;
    private List<RuleWithOperations> rules = List.of();
    private FailurePolicy failurePolicy = FailurePolicy.FAIL;
    private LabelSelector namespaceSelector = LabelSelector.EVERYTHING;
    private LabelSelector objectSelector = LabelSelector.EVERYTHING;
    private ReinvocationPolicy reinvocationPolicy = ReinvocationPolicy.NEVER;

    private Builder(String name, AdmissionController controller) {
      this.name = Objects.requireNonNull(name, "name");
      this.controller = Objects.requireNonNull(controller, "controller");
    }

    /** The rules; a hook without rules is never called. */
    public Builder rules(List<RuleWithOperations> rules) {
      this.rules = List.copyOf(rules);
      return this;
    }

    /** The rules, as varargs. */
    public Builder rules(RuleWithOperations... rules) {
      return rules(List.of(rules));
    }

    public Builder failurePolicy(FailurePolicy failurePolicy) {
      this.failurePolicy = Objects.requireNonNull(failurePolicy, "failurePolicy");
      return this;
    }

    public Builder namespaceSelector(LabelSelector namespaceSelector) {
      namespaceSelector.validate();
      this.namespaceSelector = namespaceSelector;
      return this;
    }

    public Builder objectSelector(LabelSelector objectSelector) {
      objectSelector.validate();
      this.objectSelector = objectSelector;
      return this;
    }

    public Builder reinvocationPolicy(ReinvocationPolicy reinvocationPolicy) {
      this.reinvocationPolicy = Objects.requireNonNull(reinvocationPolicy, "reinvocationPolicy");
      return this;
    }

    public AdmissionHook build() {
      return new AdmissionHook(this);
    }
  }
}
