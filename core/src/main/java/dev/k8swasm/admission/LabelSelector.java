package dev.k8swasm.admission;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.authz.SelectorRequirement;
import dev.k8swasm.json.Copies;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code metav1.LabelSelector}: {@code matchLabels} and {@code matchExpressions} (In, NotIn,
 * Exists, DoesNotExist), all of which must hold. An empty selector matches everything.
 *
 * @param matchLabels labels that must be present with these values
 * @param matchExpressions further requirements
 * @param additionalProperties fields this version of the library does not model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LabelSelector(
    Map<String, String> matchLabels,
    List<SelectorRequirement> matchExpressions,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> additionalProperties) {

  /** The selector that matches everything. */
  public static final LabelSelector EVERYTHING = new LabelSelector(null, null, null);

  public LabelSelector {
    matchLabels = Copies.map(matchLabels);
    matchExpressions = Copies.list(matchExpressions);
    additionalProperties = Copies.fields(additionalProperties);
  }

  /**
   * Checks the selector is well-formed, as the API server does when a webhook is registered.
   *
   * @throws IllegalArgumentException describing the first problem
   */
  public void validate() {
    if (matchExpressions == null) {
      return;
    }
    for (SelectorRequirement r : matchExpressions) {
      if (r.key() == null || r.key().isEmpty()) {
        throw new IllegalArgumentException("matchExpressions: key is required");
      }
      String op = Objects.requireNonNullElse(r.operator(), "");
      int values = r.values() == null ? 0 : r.values().size();
      switch (op) {
        case "In", "NotIn" -> {
          if (values == 0) {
            throw new IllegalArgumentException(
                "matchExpressions[" + r.key() + "]: operator " + op + " needs values");
          }
        }
        case "Exists", "DoesNotExist" -> {
          if (values != 0) {
            throw new IllegalArgumentException(
                "matchExpressions[" + r.key() + "]: operator " + op + " takes no values");
          }
        }
        default ->
            throw new IllegalArgumentException(
                "matchExpressions["
                    + r.key()
                    + "]: unknown operator '"
                    + op
                    + "' (use In, NotIn, Exists or DoesNotExist)");
      }
    }
  }

  /** Whether {@code labels} (null = no labels) satisfy this selector. */
  public boolean matches(Map<String, String> labels) {
    Map<String, String> l = labels == null ? Map.of() : labels;
    if (matchLabels != null) {
      for (Map.Entry<String, String> e : matchLabels.entrySet()) {
        if (!e.getValue().equals(l.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (matchExpressions != null) {
      for (SelectorRequirement r : matchExpressions) {
        List<String> values = r.values() == null ? List.of() : r.values();
        boolean has = l.containsKey(r.key());
        boolean ok =
            switch (Objects.requireNonNullElse(r.operator(), "")) {
              case "In" -> has && values.contains(l.get(r.key()));
              case "NotIn" -> !has || !values.contains(l.get(r.key()));
              case "Exists" -> has;
              case "DoesNotExist" -> !has;
              default -> false;
            };
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }
}
