package dev.k8swasm.module;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.admission.rules.RuleWithOperations;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a module declares about itself, used as defaults that configuration may override. Immutable;
 * build with {@link #builder()}.
 */
public final class ModuleMetadata {
  /** No metadata. */
  public static final ModuleMetadata NONE = builder().build();

  private final List<RuleWithOperations> rules;
  private final Boolean mutating;
  private final JsonNode raw;

  private ModuleMetadata(Builder b) {
    this.rules = b.rules;
    this.mutating = b.mutating;
    this.raw = b.raw;
  }

  /** A builder with nothing declared. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The admission rules the module declares, if it declares any (an empty list is a declaration).
   */
  public Optional<List<RuleWithOperations>> rules() {
    return Optional.ofNullable(rules);
  }

  /** Whether the module mutates, if declared. */
  public Optional<Boolean> mutating() {
    return Optional.ofNullable(mutating);
  }

  /** The module's whole metadata document, if any. */
  public Optional<JsonNode> raw() {
    return Optional.ofNullable(raw);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModuleMetadata m
        && Objects.equals(rules, m.rules)
        && Objects.equals(mutating, m.mutating)
        && Objects.equals(raw, m.raw);
  }

  @Override
  public int hashCode() {
    return Objects.hash(rules, mutating, raw);
  }

  @Override
  public String toString() {
    return "ModuleMetadata[rules=" + rules + ", mutating=" + mutating + ", raw=" + raw + "]";
  }

  /** Builds {@link ModuleMetadata}. */
  public static final class Builder {
    private List<RuleWithOperations> rules;
    private Boolean mutating;
    private JsonNode raw;

    private Builder() {}

    /** The declared admission rules; null for none declared. */
    public Builder rules(List<RuleWithOperations> rules) {
      this.rules = rules == null ? null : List.copyOf(rules);
      return this;
    }

    /** Declares whether the module mutates. */
    public Builder mutating(boolean mutating) {
      this.mutating = mutating;
      return this;
    }

    /** The module's whole metadata document; null for none. */
    public Builder raw(JsonNode raw) {
      this.raw = raw;
      return this;
    }

    /** The metadata built so far. */
    public ModuleMetadata build() {
      return new ModuleMetadata(this);
    }
  }
}
