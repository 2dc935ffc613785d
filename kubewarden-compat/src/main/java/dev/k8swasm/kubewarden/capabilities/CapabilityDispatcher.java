package dev.k8swasm.kubewarden.capabilities;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.authz.AuthorizationDecision;
import dev.k8swasm.authz.Authorizer;
import dev.k8swasm.authz.ResourceAttributes;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.authz.SubjectAccessReviewSpec;
import dev.k8swasm.json.Json;
import dev.k8swasm.kubewarden.metadata.ContextAwareResource;
import dev.k8swasm.kubewarden.session.CallbackRequest;
import dev.k8swasm.kubewarden.session.Exchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host side of {@code __host_call} / {@code host.call} for one policy: binding {@code
 * kubewarden}, dispatched on namespace and operation, checked against the policy's allow-list
 * (every namespace but {@code tracing}) and, for Kubernetes resources, its {@code
 * contextAwareResources}. The error texts are Kubewarden's. Thread-safe.
 */
public final class CapabilityDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(CapabilityDispatcher.class);
  private static final Logger POLICY_LOG = LoggerFactory.getLogger("dev.k8swasm.kubewarden.policy");

  /** The only binding Kubewarden policies use. */
  public static final String BINDING = "kubewarden";

  private final String policy;
  private final HostCapabilityAllowList allowList;
  private final Set<ContextAwareResource> resources;
  private final HostCapabilities host;

  /**
   * The dispatcher of {@code policy} (its name, for logs), granted {@code allowList} and {@code
   * resources}, served by {@code host}.
   */
  public CapabilityDispatcher(
      String policy,
      HostCapabilityAllowList allowList,
      Set<ContextAwareResource> resources,
      HostCapabilities host) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.allowList = Objects.requireNonNull(allowList, "allowList");
    this.resources = Set.copyOf(resources);
    this.host = Objects.requireNonNull(host, "host");
  }

  /** The granted capabilities. */
  public HostCapabilityAllowList allowList() {
    return allowList;
  }

  /** The granted Kubernetes resource types. */
  public Set<ContextAwareResource> contextAwareResources() {
    return resources;
  }

  /**
   * Performs one host call.
   *
   * @return the response bytes
   * @throws HostCapabilityException with the error the policy reads
   */
  public byte[] call(String binding, String namespace, String operation, byte[] payload) {
    if (!BINDING.equals(binding)) {
      LOG.error("policy '{}': unknown binding '{}'", policy, binding);
      throw new HostCapabilityException("unknown binding: " + binding);
    }
    String path = namespace + "/" + operation;
    if (!namespace.equals("tracing") && !allowList.allows(path)) {
      LOG.error(
          "policy '{}' tried to use the host capability '{}' it has not been granted (allowed: {})",
          policy,
          path,
          allowList);
      throw new HostCapabilityException(
          "Policy has not been granted access to the '"
              + path
              + "' host capability. The violation has been reported.");
    }
    return switch (namespace) {
      case "tracing" -> tracing(operation, payload);
      case "net" -> net(operation, payload);
      case "kubernetes" -> kubernetes(operation, payload);
      case "oci" -> oci(operation, payload);
      case "crypto" -> crypto(operation, payload);
      default -> {
        LOG.error("policy '{}': unknown host capability namespace '{}'", policy, namespace);
        throw new HostCapabilityException("unknown namespace: " + namespace);
      }
    };
  }

  private static HostCapabilityException unknownOperation(String operation) {
    return new HostCapabilityException("unknown operation: " + operation);
  }

  // ---------------------------------------------------------------- tracing

  private byte[] tracing(String operation, byte[] payload) {
    if (!operation.equals("log")) {
      throw unknownOperation(operation);
    }
    JsonNode event;
    try {
      event = Json.reader().readTree(payload);
    } catch (IOException e) {
      event = null;
    }
    if (event == null || !event.isObject()) {
      LOG.error(
          "policy '{}': cannot log event, not a JSON object: {}",
          policy,
          new String(payload, StandardCharsets.UTF_8));
      return new byte[0];
    }
    String level = event.path("level").asText("info");
    String message = event.path("message").asText("");
    ObjectNode extra = ((ObjectNode) event).deepCopy();
    extra.remove("level");
    extra.remove("message");
    String text = extra.isEmpty() ? message : message + " " + extra;
    switch (level) {
      case "trace" -> POLICY_LOG.trace("[{}] {}", policy, text);
      case "debug" -> POLICY_LOG.debug("[{}] {}", policy, text);
      case "warning", "warn" -> POLICY_LOG.warn("[{}] {}", policy, text);
      case "error" -> POLICY_LOG.error("[{}] {}", policy, text);
      default -> POLICY_LOG.info("[{}] {}", policy, text);
    }
    return new byte[0];
  }

  // -------------------------------------------------------------------- net

  private byte[] net(String operation, byte[] payload) {
    if (!operation.equals("v1/dns_lookup_host")) {
      throw unknownOperation(operation);
    }
    String hostName = string(payload, "net/v1/dns_lookup_host");
    ObjectNode fields = JsonNodeFactory.instance.objectNode().put("host", hostName);
    return exchange(
        new CallbackRequest("DNSLookupHost", fields),
        () -> {
          ObjectNode answer = JsonNodeFactory.instance.objectNode();
          ArrayNode ips = answer.putArray("ips");
          host.dns().lookupHost(hostName).forEach(ips::add);
          return Json.write(answer);
        });
  }

  // ------------------------------------------------------------- kubernetes

  private byte[] kubernetes(String operation, byte[] payload) {
    String path = "kubernetes/" + operation;
    return switch (operation) {
      case "list_resources_by_namespace", "list_resources_all" -> {
        boolean byNamespace = operation.equals("list_resources_by_namespace");
        JsonNode r = object(payload, path);
        String apiVersion = requiredText(r, "api_version", path);
        String kind = requiredText(r, "kind", path);
        Optional<String> namespace =
            byNamespace ? Optional.of(requiredText(r, "namespace", path)) : Optional.empty();
        gate(apiVersion, kind);
        List<String> masks = masks(r, path);
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        fields.put("api_version", apiVersion);
        fields.put("kind", kind);
        namespace.ifPresent(n -> fields.put("namespace", n));
        fields.set(
            "label_selector",
            r.path("label_selector").isTextual() ? r.get("label_selector") : null);
        fields.set(
            "field_selector",
            r.path("field_selector").isTextual() ? r.get("field_selector") : null);
        fields.set("field_masks", r.get("field_masks"));
        var request =
            KubernetesContext.ListResourcesRequest.builder(apiVersion, kind)
                .namespace(namespace.orElse(null))
                .labelSelector(optionalText(r, "label_selector", path).orElse(null))
                .fieldSelector(optionalText(r, "field_selector", path).orElse(null))
                .build();
        yield exchange(
            new CallbackRequest(
                byNamespace ? "KubernetesListResourceNamespace" : "KubernetesListResourceAll",
                fields),
            () -> {
              KubernetesContext k8s =
                  host.kubernetes().orElseThrow(() -> HostCapabilities.notAvailable(path));
              List<JsonNode> items =
                  byNamespace
                      ? k8s.listResourcesByNamespace(request)
                      : k8s.listResourcesAll(request);
              ObjectNode list = JsonNodeFactory.instance.objectNode();
              list.put("apiVersion", apiVersion);
              list.put("kind", kind + "List");
              list.putObject("metadata");
              ArrayNode array = list.putArray("items");
              for (JsonNode item : items == null ? List.<JsonNode>of() : items) {
                array.add(FieldMasks.apply(item, masks));
              }
              return Json.write(list);
            });
      }
      case "get_resource" -> {
        JsonNode r = object(payload, path);
        String apiVersion = requiredText(r, "api_version", path);
        String kind = requiredText(r, "kind", path);
        String name = requiredText(r, "name", path);
        Optional<String> namespace = optionalText(r, "namespace", path);
        boolean disableCache = r.path("disable_cache").asBoolean(false);
        gate(apiVersion, kind);
        List<String> masks = masks(r, path);
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        fields.put("api_version", apiVersion);
        fields.put("kind", kind);
        fields.put("name", name);
        namespace.ifPresent(n -> fields.put("namespace", n));
        fields.put("disable_cache", disableCache);
        if (!masks.isEmpty()) {
          fields.set("field_masks", r.get("field_masks"));
        }
        var request =
            KubernetesContext.GetResourceRequest.builder(apiVersion, kind, name)
                .namespace(namespace.orElse(null))
                .disableCache(disableCache)
                .build();
        yield exchange(
            new CallbackRequest("KubernetesGetResource", fields),
            () -> {
              KubernetesContext k8s =
                  host.kubernetes().orElseThrow(() -> HostCapabilities.notAvailable(path));
              JsonNode found =
                  k8s.getResource(request)
                      .orElseThrow(
                          () ->
                              new HostCapabilityException(
                                  kind
                                      + " \""
                                      + name
                                      + "\" not found"
                                      + namespace
                                          .map(n -> " in namespace \"" + n + "\"")
                                          .orElse("")));
              return Json.write(FieldMasks.apply(found, masks));
            });
      }
      case "can_i" -> canI(object(payload, path));
      default -> throw unknownOperation(operation);
    };
  }

  private byte[] canI(JsonNode r) {
    String path = "kubernetes/can_i";
    JsonNode sar = r.get("subject_access_review");
    if (sar == null || !sar.isObject()) {
      throw invalid(path, "'subject_access_review' must be an object");
    }
    String user = requiredText(sar, "user", path);
    List<String> groups = new ArrayList<>();
    JsonNode g = sar.get("groups");
    if (g != null && g.isArray()) {
      g.forEach(x -> groups.add(x.asText()));
    }
    JsonNode ra = sar.get("resource_attributes");
    if (ra == null || !ra.isObject()) {
      throw invalid(path, "'subject_access_review.resource_attributes' must be an object");
    }
    ResourceAttributes attributes =
        new ResourceAttributes(
            text(ra, "namespace"),
            text(ra, "verb"),
            text(ra, "group"),
            text(ra, "version"),
            text(ra, "resource"),
            text(ra, "subresource"),
            text(ra, "name"),
            null,
            null,
            null);
    ObjectNode fields = JsonNodeFactory.instance.objectNode();
    fields.set("request", sar.deepCopy());
    boolean disableCache = r.path("disable_cache").asBoolean(false);
    fields.put("disable_cache", disableCache);
    return exchange(
        new CallbackRequest("KubernetesCanI", fields),
        () -> {
          Authorizer authorizer =
              host.authorizer().orElseThrow(() -> HostCapabilities.notAvailable(path));
          if (disableCache && authorizer instanceof CachingAuthorizer caching) {
            authorizer = caching.uncached();
          }
          SubjectAccessReview review =
              SubjectAccessReview.of(
                  new SubjectAccessReviewSpec(
                      attributes,
                      null,
                      user,
                      groups.isEmpty() ? null : groups,
                      null,
                      null,
                      null,
                      null));
          AuthorizationDecision decision = authorizer.authorize(review);
          if (decision == null) {
            throw new HostCapabilityException("the authorizer gave no decision");
          }
          return Json.write(decision.toStatus());
        });
  }

  // -------------------------------------------------------------------- oci

  private byte[] oci(String operation, byte[] payload) {
    String path = "oci/" + operation;
    return switch (operation) {
      case "v1/manifest_digest" -> {
        String image = string(payload, path);
        yield exchange(
            new CallbackRequest(
                "OciManifestDigest", JsonNodeFactory.instance.objectNode().put("image", image)),
            () -> {
              String digest = ociHandler(path).manifestDigest(image);
              return Json.write(JsonNodeFactory.instance.objectNode().put("digest", digest));
            });
      }
      case "v1/oci_manifest" -> {
        String image = string(payload, path);
        yield exchange(
            new CallbackRequest(
                "OciManifest", JsonNodeFactory.instance.objectNode().put("image", image)),
            () -> Json.write(ociHandler(path).manifest(image)));
      }
      case "v1/oci_manifest_config" -> {
        String image = string(payload, path);
        yield exchange(
            new CallbackRequest(
                "OciManifestAndConfig", JsonNodeFactory.instance.objectNode().put("image", image)),
            () -> Json.write(ociHandler(path).manifestAndConfig(image)));
      }
      case "v1/verify", "v2/verify" -> {
        int version = operation.startsWith("v1") ? 1 : 2;
        JsonNode request = object(payload, path);
        ObjectNode fields = ((ObjectNode) request).deepCopy();
        JsonNode type = fields.remove("type");
        String tag =
            type != null && type.isTextual() && type.asText().matches("[A-Za-z0-9]+")
                ? type.asText()
                : "SigstoreVerify";
        yield exchange(
            new CallbackRequest(tag, fields),
            () -> Json.write(ociHandler(path).verify(version, request)));
      }
      default -> throw unknownOperation(operation);
    };
  }

  private OciCapabilities ociHandler(String path) {
    return host.oci().orElseThrow(() -> HostCapabilities.notAvailable(path));
  }

  // ----------------------------------------------------------------- crypto

  private byte[] crypto(String operation, byte[] payload) {
    String path = "crypto/" + operation;
    if (!operation.equals("v1/is_certificate_trusted")) {
      throw unknownOperation(operation);
    }
    JsonNode request = object(payload, path);
    ObjectNode fields = JsonNodeFactory.instance.objectNode();
    fields.set("request", request.deepCopy());
    return exchange(
        new CallbackRequest("CryptoIsCertificateTrusted", fields),
        () ->
            Json.write(
                host.crypto()
                    .orElseThrow(() -> HostCapabilities.notAvailable(path))
                    .isCertificateTrusted(request)));
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Answers {@code request} from the replay session, or else with {@code live}; records the
   * exchange. Failures become "Callback evaluation failure: ..." as in Kubewarden.
   */
  private byte[] exchange(CallbackRequest request, Supplier<byte[]> live) {
    byte[] answer;
    try {
      answer = host.replay().isPresent() ? host.replay().get().answer(request) : live.get();
    } catch (HostCapabilityException e) {
      host.recorder().ifPresent(r -> r.record(Exchange.error(request, e.getMessage())));
      LOG.debug("policy '{}': host call {} failed: {}", policy, request.type(), e.getMessage());
      throw new HostCapabilityException("Callback evaluation failure: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      LOG.warn("policy '{}': host call {} failed", policy, request.type(), e);
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      host.recorder().ifPresent(r -> r.record(Exchange.error(request, message)));
      throw new HostCapabilityException("Callback evaluation failure: " + message, e);
    }
    if (answer == null) {
      answer = new byte[0];
    }
    byte[] recorded = answer;
    host.recorder().ifPresent(r -> r.record(Exchange.success(request, recorded)));
    return answer;
  }

  private void gate(String apiVersion, String kind) {
    if (!resources.contains(new ContextAwareResource(apiVersion, kind))) {
      LOG.error(
          "policy '{}' tried to access Kubernetes {}/{} resources it has not been granted"
              + " (contextAwareResources: {})",
          policy,
          apiVersion,
          kind,
          resources);
      throw new HostCapabilityException(
          "Policy has not been granted access to Kubernetes "
              + apiVersion
              + "/"
              + kind
              + " resources. The violation has been reported.");
    }
  }

  private static HostCapabilityException invalid(String path, String detail) {
    return new HostCapabilityException("invalid request for " + path + ": " + detail);
  }

  private static JsonNode parse(byte[] payload, String path) {
    try {
      JsonNode node = Json.reader().readTree(payload);
      if (node == null || node.isMissingNode()) {
        throw invalid(path, "the payload is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw invalid(path, "not JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw invalid(path, "not readable (" + e.getMessage() + ")");
    }
  }

  private static String string(byte[] payload, String path) {
    JsonNode node = parse(payload, path);
    if (!node.isTextual()) {
      throw invalid(path, "expected a JSON string");
    }
    return node.asText();
  }

  private static JsonNode object(byte[] payload, String path) {
    JsonNode node = parse(payload, path);
    if (!node.isObject()) {
      throw invalid(path, "expected a JSON object");
    }
    return node;
  }

  private static String requiredText(JsonNode node, String field, String path) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw invalid(path, "'" + field + "' must be a string");
    }
    return v.asText();
  }

  private static Optional<String> optionalText(JsonNode node, String field, String path) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw invalid(path, "'" + field + "' must be a string");
    }
    return Optional.of(v.asText());
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static List<String> masks(JsonNode r, String path) {
    JsonNode m = r.get("field_masks");
    List<String> masks = new ArrayList<>();
    if (m == null || m.isNull()) {
      return masks;
    }
    if (!m.isArray()) {
      throw invalid(path, "'field_masks' must be a list of strings");
    }
    for (Iterator<JsonNode> it = m.elements(); it.hasNext(); ) {
      JsonNode x = it.next();
      if (!x.isTextual()) {
        throw invalid(path, "'field_masks' must be a list of strings");
      }
      masks.add(x.asText());
    }
    return masks;
  }
}
