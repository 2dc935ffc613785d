package dev.k8swasm.testing.kubewarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.authz.AuthorizationDecision;
import dev.k8swasm.json.Json;
import dev.k8swasm.kubewarden.session.Exchange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/** Turns the exchanges of a kwctl recorded session into single-use stubs. */
final class Replay {
  private Replay() {}

  static Stub stub(Exchange exchange, String source) {
    String type = exchange.request().type();
    ObjectNode f = exchange.request().fields();
    String where = source + ": " + type;
    return switch (type) {
      case "DNSLookupHost" -> {
        String host = text(f, "host", where);
        yield stub(
            Stub.DNS,
            "\"" + host + "\"",
            r -> r.asText().equals(host),
            exchange,
            payload -> {
              List<String> ips = new ArrayList<>();
              payload.path("ips").forEach(ip -> ips.add(ip.asText()));
              return ips;
            },
            where);
      }
      case "KubernetesGetResource" -> {
        ObjectNode want = JsonNodeFactory.instance.objectNode();
        want.put("apiVersion", text(f, "api_version", where));
        want.put("kind", text(f, "kind", where));
        want.put("name", text(f, "name", where));
        if (f.path("namespace").isTextual()) {
          want.put("namespace", f.get("namespace").asText());
        }
        yield stub(
            Stub.GET_RESOURCE,
            Json.writeString(want),
            want::equals,
            exchange,
            payload -> Optional.of(payload),
            where);
      }
      case "KubernetesListResourceNamespace", "KubernetesListResourceAll" -> {
        boolean byNamespace = type.equals("KubernetesListResourceNamespace");
        ObjectNode want = JsonNodeFactory.instance.objectNode();
        want.put("apiVersion", text(f, "api_version", where));
        want.put("kind", text(f, "kind", where));
        if (byNamespace) {
          want.put("namespace", text(f, "namespace", where));
        }
        if (f.path("label_selector").isTextual()) {
          want.put("labelSelector", f.get("label_selector").asText());
        }
        if (f.path("field_selector").isTextual()) {
          want.put("fieldSelector", f.get("field_selector").asText());
        }
        yield stub(
            byNamespace ? Stub.LIST_BY_NAMESPACE : Stub.LIST_ALL,
            Json.writeString(want),
            r -> Stubs.contains(r, want),
            exchange,
            payload -> {
              List<JsonNode> items = new ArrayList<>();
              payload.path("items").forEach(items::add);
              return items;
            },
            where);
      }
      case "KubernetesCanI" -> {
        JsonNode sar = f.path("request");
        ObjectNode want = JsonNodeFactory.instance.objectNode();
        copy(sar, "user", want, "user");
        JsonNode attrs = sar.path("resource_attributes");
        for (String field :
            List.of("verb", "resource", "group", "namespace", "name", "subresource")) {
          copy(attrs, field, want, field);
        }
        yield stub(
            Stub.CAN_I,
            Json.writeString(want),
            r -> Stubs.contains(r, want),
            exchange,
            payload -> {
              boolean allowed = payload.path("allowed").asBoolean(false);
              boolean denied = payload.path("denied").asBoolean(false);
              String reason = payload.path("reason").asText("");
              return allowed
                  ? AuthorizationDecision.allow(reason, "replay")
                  : denied
                      ? AuthorizationDecision.deny(reason, "replay")
                      : AuthorizationDecision.noOpinion(reason);
            },
            where);
      }
      case "OciManifestDigest" -> {
        String image = text(f, "image", where);
        yield stub(
            Stub.MANIFEST_DIGEST,
            "\"" + image + "\"",
            r -> r.asText().equals(image),
            exchange,
            payload -> payload.path("digest").asText(),
            where);
      }
      case "OciManifest", "OciManifestAndConfig" -> {
        String image = text(f, "image", where);
        yield stub(
            type.equals("OciManifest") ? Stub.MANIFEST : Stub.MANIFEST_CONFIG,
            "\"" + image + "\"",
            r -> r.asText().equals(image),
            exchange,
            payload -> payload,
            where);
      }
      case "CryptoIsCertificateTrusted" ->
          stub(Stub.CERTIFICATE, "(recorded)", r -> true, exchange, p -> p, where);
      default -> {
        if (type.startsWith("Sigstore")) {
          yield stub(Stub.VERIFY, type + " (recorded)", r -> true, exchange, p -> p, where);
        }
        throw new IllegalArgumentException(
            where + ": a request of this type cannot be replayed by HostCapabilityStubs");
      }
    };
  }

  private static Stub stub(
      String capability,
      String request,
      Predicate<JsonNode> matcher,
      Exchange exchange,
      Function<JsonNode, Object> fromPayload,
      String where) {
    Function<JsonNode, Object> answer;
    if (exchange.success()) {
      String text = exchange.payload().orElse("");
      JsonNode payload;
      try {
        payload = Json.readTree(text.getBytes(StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            where + ": the recorded payload is not JSON: " + e.getMessage(), e);
      }
      answer = r -> fromPayload.apply(payload.deepCopy());
    } else {
      answer = Stub.failing(exchange.message().orElse(""));
    }
    return new Stub(capability, capability + " " + request + " (replayed)", matcher, answer, 1);
  }

  private static String text(JsonNode fields, String field, String where) {
    JsonNode v = fields.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException(where + ": field '" + field + "' must be a string");
    }
    return v.asText();
  }

  private static void copy(JsonNode from, String field, ObjectNode to, String as) {
    JsonNode v = from.get(field);
    if (v != null && v.isTextual()) {
      to.put(as, v.asText());
    }
  }
}
