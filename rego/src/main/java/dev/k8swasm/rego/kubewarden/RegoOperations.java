package dev.k8swasm.rego.kubewarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.admission.JsonPatches;
import dev.k8swasm.json.Json;
import dev.k8swasm.kubewarden.ExecutionModeProvider;
import dev.k8swasm.kubewarden.metadata.ExecutionMode;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.rego.RegoPolicy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubewarden's operations on a Rego policy: {@code validate} evaluates entrypoint 0 with the mode's
 * input and turns the result into a ValidationResponse; {@code validate_settings} accepts any
 * settings.
 */
final class RegoOperations implements ExecutionModeProvider.Operations {
  private static final Logger LOG = LoggerFactory.getLogger(RegoOperations.class);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final byte[] VALID =
      "{\"valid\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private final RegoPolicy policy;
  private final ExecutionMode mode;
  private final int entrypoint;

  /** Kubewarden's operations evaluating {@code entrypoint} (Kubewarden always uses 0). */
  RegoOperations(RegoPolicy policy, ExecutionMode mode, int entrypoint) {
    this.policy = policy;
    this.mode = mode;
    this.entrypoint = entrypoint;
  }

  @Override
  public byte[] call(String operation, byte[] payload) {
    return switch (operation) {
      case "validate" -> Json.write(validate(payload));
      case "validate_settings" -> VALID.clone();
      default ->
          throw new ModuleException(
              policy.name(),
              FailureReason.UNSUPPORTED,
              "a Rego (" + mode.wireName() + ") policy has no operation '" + operation + "'");
    };
  }

  private ObjectNode validate(byte[] payload) {
    JsonNode envelope;
    try {
      envelope = Json.reader().readTree(payload);
    } catch (IOException e) {
      throw new ModuleException(
          policy.name(), FailureReason.BAD_REQUEST, "the validate payload is not JSON", e);
    }
    JsonNode request = envelope.path("request");
    JsonNode settings = envelope.path("settings");
    ObjectNode input = NODES.objectNode();
    if (mode == ExecutionMode.OPA) {
      input.set("request", request);
    } else {
      input.set("parameters", settings.isMissingNode() ? NODES.objectNode() : settings);
      input.set("review", request);
    }
    JsonNode resultSet = policy.evaluate(entrypoint, Json.write(input));
    return mode == ExecutionMode.OPA ? opa(resultSet, request) : gatekeeper(resultSet);
  }

  /** {@code [0].result.response} is an AdmissionResponse. */
  private ObjectNode opa(JsonNode resultSet, JsonNode request) {
    JsonNode response = resultSet.path(0).path("result").path("response");
    if (!response.isObject()) {
      throw new ModuleException(
          policy.name(), FailureReason.BAD_OUTPUT, "cannot interpret OPA policy result");
    }
    JsonNode allowed = response.get("allowed");
    if (allowed == null || !allowed.isBoolean()) {
      throw new ModuleException(
          policy.name(),
          FailureReason.BAD_OUTPUT,
          allowed == null
              ? "missing field `allowed`"
              : "invalid type for field `allowed`: expected a boolean");
    }
    ObjectNode out = NODES.objectNode();
    out.put("accepted", allowed.booleanValue());
    JsonNode status = response.path("status");
    if (status.path("message").isTextual()) {
      out.put("message", status.path("message").textValue());
    }
    if (status.path("code").isIntegralNumber()) {
      out.put("code", status.path("code").intValue());
    }
    if (response.path("warnings").isArray()) {
      out.set("warnings", response.get("warnings"));
    }
    if (response.path("auditAnnotations").isObject()) {
      out.set("audit_annotations", response.get("auditAnnotations"));
    }
    JsonNode patch = response.path("patch");
    if (patch.isTextual() && !patch.textValue().isEmpty()) {
      out.set("mutated_object", patched(patch.textValue(), request.path("object")));
    }
    return out;
  }

  private JsonNode patched(String base64, JsonNode object) {
    try {
      JsonNode operations = Json.reader().readTree(Base64.getDecoder().decode(base64));
      return JsonPatches.apply(operations, object.isMissingNode() ? NODES.nullNode() : object);
    } catch (IOException | RuntimeException e) {
      throw new ModuleException(
          policy.name(),
          FailureReason.BAD_OUTPUT,
          "the policy's patch cannot be applied to the request object: " + e.getMessage(),
          e);
    }
  }

  /**
   * {@code [0].result} lists violations {@code {"msg": ...}}: none is an allowance, else a denial
   * with the messages joined by ", ". As Kubewarden, a result that is not such a list counts as no
   * violation (logged).
   */
  private ObjectNode gatekeeper(JsonNode resultSet) {
    JsonNode result = resultSet.path(0).path("result");
    List<String> messages = new ArrayList<>();
    boolean violated = false;
    if (result.isArray() && wellFormed((ArrayNode) result)) {
      for (JsonNode violation : result) {
        violated = true;
        if (violation.path("msg").isTextual()) {
          messages.add(violation.get("msg").textValue());
        }
      }
    } else if (resultSet.size() > 0) {
      LOG.warn(
          "policy '{}': the gatekeeper result is not a list of violations; treated as none",
          policy.name());
    }
    ObjectNode out = NODES.objectNode();
    out.put("accepted", !violated);
    if (violated) {
      out.put("message", String.join(", ", messages));
    }
    return out;
  }

  private static boolean wellFormed(ArrayNode violations) {
    for (JsonNode v : violations) {
      if (!v.isObject() || (v.has("msg") && !v.get("msg").isTextual() && !v.get("msg").isNull())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    policy.close();
  }
}
