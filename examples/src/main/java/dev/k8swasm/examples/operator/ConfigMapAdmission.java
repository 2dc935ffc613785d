package dev.k8swasm.examples.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.k8swasm.admission.AdmissionController;
import dev.k8swasm.admission.JsonPatches;
import dev.k8swasm.config.Chains;
import dev.k8swasm.fabric8.Fabric8AdmissionHandler;
import dev.k8swasm.json.Json;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.GroupVersionKindBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionResource;
import io.fabric8.kubernetes.api.model.GroupVersionResourceBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequestBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfoBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * An operator's admission logic for ConfigMaps, decided by WebAssembly modules and used with
 * fabric8 model objects: the operator asks before it creates or changes a ConfigMap (and gets the
 * ConfigMap as the modules mutated it), and the same logic serves kube-apiserver as an admission
 * webhook ({@link #webhook()}).
 *
 * <pre>{@code
 * try (ConfigMapAdmission admission = ConfigMapAdmission.fromConfig(Path.of("admission.yaml"))) {
 *   ConfigMapAdmission.Decision d = admission.create(configMap, "system:serviceaccount:ops:operator");
 *   if (d.allowed()) {
 *     client.configMaps().resource(d.admitted()).create();
 *   }
 * }
 * }</pre>
 *
 * Thread-safe; closing it closes the modules.
 */
public final class ConfigMapAdmission implements AutoCloseable {
  private static final GroupVersionKind KIND =
      new GroupVersionKindBuilder().withGroup("").withVersion("v1").withKind("ConfigMap").build();
  private static final GroupVersionResource RESOURCE =
      new GroupVersionResourceBuilder()
          .withGroup("")
          .withVersion("v1")
          .withResource("configmaps")
          .build();
  private static final int MAX_BODY = 6 << 20;

  private final Fabric8AdmissionHandler handler;

  private ConfigMapAdmission(AdmissionController controller) {
    this.handler = Fabric8AdmissionHandler.of(controller);
  }

  /**
   * Admission by the chain configured in {@code file} (see {@code examples/config/admission.yaml}).
   */
  public static ConfigMapAdmission fromConfig(Path file) {
    return new ConfigMapAdmission(Chains.admission(file));
  }

  /**
   * Admission by {@code controller} (usually an {@code AdmissionChain}); it is closed with this.
   */
  public static ConfigMapAdmission of(AdmissionController controller) {
    return new ConfigMapAdmission(controller);
  }

  /**
   * What admission says about an operation on a ConfigMap.
   *
   * @param allowed whether it may go ahead
   * @param admitted the ConfigMap as admitted: with the modules' changes (null for DELETE)
   * @param message why it was denied, or null
   * @param code the HTTP code of a denial, or null
   * @param warnings the warnings for the user
   */
  public record Decision(
      boolean allowed, ConfigMap admitted, String message, Integer code, List<String> warnings) {}

  /** Asks whether {@code username} may create {@code configMap}. */
  public Decision create(ConfigMap configMap, String username) {
    return decide("CREATE", configMap, null, username);
  }

  /** Asks whether {@code username} may change {@code oldConfigMap} into {@code configMap}. */
  public Decision update(ConfigMap configMap, ConfigMap oldConfigMap, String username) {
    return decide("UPDATE", configMap, oldConfigMap, username);
  }

  // docs:start fabric8
  private Decision decide(String operation, ConfigMap object, ConfigMap oldObject, String user) {
    Objects.requireNonNull(object, "configMap");
    AdmissionRequest request =
        new AdmissionRequestBuilder()
            .withUid(UUID.randomUUID().toString())
            .withKind(KIND)
            .withResource(RESOURCE)
            .withRequestKind(KIND)
            .withRequestResource(RESOURCE)
            .withName(object.getMetadata() == null ? null : object.getMetadata().getName())
            .withNamespace(
                object.getMetadata() == null ? null : object.getMetadata().getNamespace())
            .withOperation(operation)
            .withUserInfo(new UserInfoBuilder().withUsername(user).build())
            .withObject(object)
            .withOldObject(oldObject)
            .withDryRun(false)
            .build();
    AdmissionReview review =
        new AdmissionReviewBuilder()
            .withApiVersion("admission.k8s.io/v1")
            .withKind("AdmissionReview")
            .withRequest(request)
            .build();
    AdmissionResponse response = handler.handle(review).getResponse();
    boolean allowed = Boolean.TRUE.equals(response.getAllowed());
    String message = response.getStatus() == null ? null : response.getStatus().getMessage();
    Integer code = response.getStatus() == null ? null : response.getStatus().getCode();
    List<String> warnings = response.getWarnings() == null ? List.of() : response.getWarnings();
    ConfigMap admitted = allowed ? applyPatch(object, response.getPatch()) : null;
    return new Decision(allowed, admitted, message, code, warnings);
  }

  /** The ConfigMap with the response's base64 RFC 6902 patch applied (itself when none). */
  private static ConfigMap applyPatch(ConfigMap object, String base64Patch) {
    if (base64Patch == null || base64Patch.isEmpty()) {
      return object;
    }
    JsonNode patch = Json.readTree(Base64.getDecoder().decode(base64Patch));
    JsonNode patched = JsonPatches.apply(patch, Json.toTree(object));
    return Json.convert(patched, ConfigMap.class);
  }

  // docs:end fabric8

  /**
   * The admission webhook endpoint ({@code POST} an AdmissionReview, get the answer): mount it with
   * {@code server.createContext("/mutate", admission.webhook())}.
   */
  public HttpHandler webhook() {
    return this::serve;
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        reply(exchange, 405, "text/plain", "only POST".getBytes(StandardCharsets.UTF_8));
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(MAX_BODY + 1);
      }
      if (body.length > MAX_BODY) {
        reply(exchange, 413, "text/plain", "request too large".getBytes(StandardCharsets.UTF_8));
        return;
      }
      byte[] answer;
      try {
        answer = handler.handle(body);
      } catch (IllegalArgumentException e) {
        reply(exchange, 400, "text/plain", e.getMessage().getBytes(StandardCharsets.UTF_8));
        return;
      } catch (RuntimeException e) {
        // kube-apiserver then applies the webhook's failurePolicy
        reply(exchange, 500, "text/plain", "admission failed".getBytes(StandardCharsets.UTF_8));
        return;
      }
      reply(exchange, 200, "application/json", answer);
    }
  }

  private static void reply(HttpExchange exchange, int code, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(code, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Closes the chain and with it the modules. */
  @Override
  public void close() {
    handler.close();
  }
}
