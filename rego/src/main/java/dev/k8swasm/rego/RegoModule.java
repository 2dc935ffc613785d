package dev.k8swasm.rego;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import dev.k8swasm.wasi.sandbox.LoadFailures;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Rego policy as an authorizer or authenticator: the review (a SubjectAccessReview or a
 * TokenReview, as received) is the {@code input}, the spec's settings are {@code data}, and the
 * value of the entrypoint (option {@code entrypoint}, e.g. {@code authz/decision}; default: the
 * module's entrypoint 0) decides:
 *
 * <ul>
 *   <li>SubjectAccessReview: {@code true} allows; {@code false} or undefined has no opinion; an
 *       object is read as a SubjectAccessReview status ({@code allowed}, {@code denied}, {@code
 *       reason}, {@code evaluationError}), with {@code allow} and {@code deny} accepted for {@code
 *       allowed} and {@code denied}.
 *   <li>TokenReview: an object is a TokenReview status ({@code authenticated}, {@code user}, {@code
 *       audiences}, {@code error}); {@code false} or undefined is not authenticated.
 * </ul>
 *
 * <p>The answer is the review with that status. Thread-safe.
 */
public final class RegoModule implements PolicyModule {
  /** The option naming the entrypoint. */
  public static final String ENTRYPOINT = "entrypoint";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final RegoPolicy policy;
  private final int entrypoint;

  private RegoModule(RegoPolicy policy, int entrypoint) {
    this.policy = policy;
    this.entrypoint = entrypoint;
  }

  /**
   * Loads the module {@code spec} describes (its type is not checked).
   *
   * @throws ModuleException LOAD_FAILED for an unknown option, an entrypoint the module lacks, or a
   *     module {@link RegoPolicy.Builder#build()} refuses
   */
  public static RegoModule load(ModuleSpec spec) {
    Objects.requireNonNull(spec, "spec");
    String entrypoint = null;
    for (Map.Entry<String, JsonNode> option : spec.options().entrySet()) {
      if (!option.getKey().equals(ENTRYPOINT) || !option.getValue().isTextual()) {
        throw LoadFailures.of(
            spec,
            option.getKey().equals(ENTRYPOINT)
                ? "option 'entrypoint' must be a string"
                : "unknown Rego option '" + option.getKey() + "' (known: entrypoint)",
            "Fix the module's configuration");
      }
      entrypoint = option.getValue().textValue();
    }
    JsonNode data = spec.settings().filter(s -> !s.isNull()).orElse(NODES.objectNode());
    RegoPolicy policy = RegoPolicy.builder(spec).data(data).build();
    int id;
    try {
      id = entrypoint == null ? 0 : policy.entrypointId(entrypoint);
      if (entrypoint == null && !policy.entrypoints().containsValue(0)) {
        throw new IllegalArgumentException("module '" + spec.name() + "' has no entrypoint 0");
      }
    } catch (IllegalArgumentException e) {
      policy.close();
      throw LoadFailures.of(spec, e.getMessage(), "Set the option entrypoint to one of them", e);
    }
    return new RegoModule(policy, id);
  }

  @Override
  public String name() {
    return policy.name();
  }

  @Override
  public Set<ReviewKind> kinds() {
    return Set.of(ReviewKind.AUTHORIZATION, ReviewKind.AUTHENTICATION);
  }

  /** The compiled policy. */
  public RegoPolicy policy() {
    return policy;
  }

  @Override
  public JsonNode evaluate(ReviewKind kind, byte[] request) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(request, "request");
    if (kind == ReviewKind.ADMISSION) {
      throw new ModuleException(
          name(),
          FailureReason.UNSUPPORTED,
          "a Rego module of type rego answers SubjectAccessReviews and TokenReviews; load"
              + " admission policies as Kubewarden opa or gatekeeper policies (type kubewarden)");
    }
    JsonNode review;
    try {
      review = Json.reader().readTree(request);
    } catch (IOException e) {
      throw new ModuleException(
          name(), FailureReason.BAD_REQUEST, "the request is not JSON: " + e.getMessage(), e);
    }
    if (review == null || !review.isObject()) {
      throw new ModuleException(
          name(), FailureReason.BAD_REQUEST, "the request is not a JSON object");
    }
    JsonNode resultSet = policy.evaluate(entrypoint, request);
    JsonNode value = resultSet.size() == 0 ? null : resultSet.get(0).get("result");
    ObjectNode out = NODES.objectNode();
    out.put("apiVersion", review.path("apiVersion").asText(defaultApiVersion(kind)));
    out.put("kind", kind.wireKind());
    out.set(
        "status", kind == ReviewKind.AUTHORIZATION ? authorization(value) : authentication(value));
    return out;
  }

  private static String defaultApiVersion(ReviewKind kind) {
    return kind == ReviewKind.AUTHORIZATION
        ? "authorization.k8s.io/v1"
        : "authentication.k8s.io/v1";
  }

  private ObjectNode authorization(JsonNode value) {
    ObjectNode status = NODES.objectNode();
    if (value == null || value.isBoolean()) {
      status.put("allowed", value != null && value.booleanValue());
      return status;
    }
    if (!value.isObject()) {
      throw badOutput("an authorization entrypoint must be a boolean or an object, not " + value);
    }
    boolean allowed = flag(value, "allowed", "allow");
    boolean denied = flag(value, "denied", "deny");
    status.put("allowed", allowed && !denied);
    if (denied) {
      status.put("denied", true);
    }
    text(value, "reason").ifPresent(r -> status.put("reason", r));
    text(value, "evaluationError").ifPresent(r -> status.put("evaluationError", r));
    return status;
  }

  private ObjectNode authentication(JsonNode value) {
    if (value == null || (value.isBoolean() && !value.booleanValue())) {
      ObjectNode status = NODES.objectNode();
      status.put("authenticated", false);
      return status;
    }
    if (!value.isObject()) {
      throw badOutput("an authentication entrypoint must be an object or false, not " + value);
    }
    if (value.path("authenticated").asBoolean(false) && !value.path("user").isObject()) {
      throw badOutput("an authenticated TokenReview status needs a user object");
    }
    return ((ObjectNode) value).deepCopy();
  }

  private boolean flag(JsonNode value, String name, String alias) {
    JsonNode v = value.has(name) ? value.get(name) : value.get(alias);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw badOutput("'" + name + "' must be a boolean, not " + v);
    }
    return v.booleanValue();
  }

  private static java.util.Optional<String> text(JsonNode value, String name) {
    JsonNode v = value.get(name);
    return v != null && v.isTextual()
        ? java.util.Optional.of(v.textValue())
        : java.util.Optional.empty();
  }

  private ModuleException badOutput(String detail) {
    return new ModuleException(name(), FailureReason.BAD_OUTPUT, detail);
  }

  @Override
  public void close() {
    policy.close();
  }

  @Override
  public String toString() {
    return "RegoModule[" + policy.name() + ", entrypoint " + entrypoint + "]";
  }
}
