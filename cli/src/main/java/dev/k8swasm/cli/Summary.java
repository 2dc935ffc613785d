package dev.k8swasm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.ReviewKind;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * An answer in words, for {@code --output pretty} and the summary on stderr at a terminal: the
 * decision (authorization says "no opinion" outright rather than {@code allowed: false}), the
 * message, and an admission patch decoded from base64 into one line per JSONPatch operation.
 */
final class Summary {
  private Summary() {}

  /**
   * The summary of {@code document}, an answer to a request of {@code kind}, without a final line
   * break.
   */
  static String of(ReviewKind kind, JsonNode document) {
    List<String> lines = new ArrayList<>();
    switch (kind) {
      case AUTHENTICATION -> authentication(document.path("status"), lines);
      case AUTHORIZATION -> authorization(document.path("status"), lines);
      case ADMISSION ->
          admission(document.has("response") ? document.path("response") : document, lines);
    }
    return String.join("\n", lines);
  }

  private static void authentication(JsonNode status, List<String> lines) {
    if (status.path("authenticated").asBoolean(false)) {
      JsonNode user = status.path("user");
      lines.add("Decision:  authenticated as " + user.path("username").asText("?"));
      field(lines, "UID:", user.path("uid"));
      list(lines, "Groups:", user.path("groups"));
      list(lines, "Audiences:", status.path("audiences"));
    } else {
      lines.add("Decision:  not authenticated");
    }
    field(lines, "Error:", status.path("error"));
  }

  private static void authorization(JsonNode status, List<String> lines) {
    if (status.path("allowed").asBoolean(false)) {
      lines.add("Decision:  allowed");
    } else if (status.path("denied").asBoolean(false)) {
      lines.add("Decision:  denied");
    } else {
      lines.add(
          "Decision:  no opinion (neither allowed nor denied: the next authorizer decides;"
              + " allowed is false on the wire)");
    }
    field(lines, "Reason:", status.path("reason"));
    field(lines, "Error:", status.path("evaluationError"));
  }

  private static void admission(JsonNode response, List<String> lines) {
    boolean allowed = response.path("allowed").asBoolean(false);
    JsonNode status = response.path("status");
    String code =
        status.path("code").isNumber() ? " (code " + status.path("code").asInt() + ")" : "";
    lines.add("Decision:  " + (allowed ? "allowed" : "denied") + code);
    field(lines, "Message:", status.path("message"));
    field(lines, "Reason:", status.path("reason"));
    list(lines, "Warnings:", response.path("warnings"));
    JsonNode patch = response.path("patch");
    if (patch.isTextual()) {
      patch(response.path("patchType").asText("JSONPatch"), patch.asText(), lines);
    }
    JsonNode audit = response.path("auditAnnotations");
    if (audit.isObject() && !audit.isEmpty()) {
      lines.add("Audit annotations:");
      audit
          .fields()
          .forEachRemaining(e -> lines.add("  " + e.getKey() + ": " + e.getValue().asText()));
    }
  }

  private static void patch(String type, String base64, List<String> lines) {
    JsonNode decoded;
    try {
      decoded = Json.readTree(Base64.getDecoder().decode(base64));
    } catch (IllegalArgumentException e) {
      lines.add("Patch (" + type + "): not readable: " + Errors.oneLine(e.getMessage()));
      return;
    }
    if (!decoded.isArray()) {
      lines.add("Patch (" + type + "):");
      JsonOutput.pretty(decoded).lines().forEach(l -> lines.add("  " + l));
      return;
    }
    lines.add(
        "Patch ("
            + type
            + ", "
            + decoded.size()
            + " operation"
            + (decoded.size() == 1 ? "" : "s")
            + "):");
    for (JsonNode op : decoded) {
      StringBuilder line = new StringBuilder("  ").append(op.path("op").asText("?")).append(' ');
      line.append(op.path("path").asText());
      if (op.has("from")) {
        line.append(" from ").append(op.path("from").asText());
      }
      if (op.has("value")) {
        line.append(" = ").append(Json.writeString(op.get("value")));
      }
      lines.add(line.toString());
    }
  }

  private static void field(List<String> lines, String label, JsonNode value) {
    if (value.isValueNode() && !value.isNull() && !value.asText().isEmpty()) {
      lines.add(String.format("%-10s %s", label, Errors.oneLine(value.asText())));
    }
  }

  private static void list(List<String> lines, String label, JsonNode values) {
    if (values.isArray() && !values.isEmpty()) {
      List<String> items = new ArrayList<>();
      values.forEach(v -> items.add(v.asText()));
      lines.add(String.format("%-10s %s", label, String.join(", ", items)));
    }
  }
}
