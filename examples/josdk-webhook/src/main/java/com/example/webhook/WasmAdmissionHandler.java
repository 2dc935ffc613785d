package com.example.webhook;

import dev.k8swasm.admission.AdmissionController;
import dev.k8swasm.config.Chains;
import dev.k8swasm.fabric8.Fabric8AdmissionHandler;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.javaoperatorsdk.webhook.admission.AdmissionRequestHandler;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A k8s-wasm admission chain as a handler of the Java Operator SDK's webhook framework.
 *
 * <p>Give it to JOSDK's {@link io.javaoperatorsdk.webhook.admission.AdmissionController} (or its
 * async variant) exactly where a {@code Validator} or {@code Mutator} would go:
 *
 * <pre>{@code
 * var handler = WasmAdmissionHandler.fromConfig(Path.of("admission.yaml"));
 * var controller = new AdmissionController<ConfigMap>(handler);
 * AdmissionReview answer = controller.handle(review);   // from your HTTP endpoint
 * }</pre>
 *
 * <p>It sits at JOSDK's request level ({@link AdmissionRequestHandler}) rather than behind its
 * object-level {@code Validator}/{@code Mutator}, because those see only the object and the
 * operation, while the chain's rules, selectors and modules also need the request's kind,
 * resource, namespace, user and options. The chain decides what a hook does: validating hooks
 * allow or deny, mutating hooks answer with a JSONPatch, as on kube-apiserver.
 *
 * <p>Thread-safe; close it to close the chain's modules.
 */
public final class WasmAdmissionHandler implements AdmissionRequestHandler, AutoCloseable {
  private final Fabric8AdmissionHandler handler;

  private WasmAdmissionHandler(AdmissionController controller) {
    this.handler = Fabric8AdmissionHandler.of(controller);
  }

  /**
   * A handler asking {@code controller}, usually an {@link dev.k8swasm.admission.AdmissionChain};
   * closing the handler closes it.
   *
   * @param controller the chain (or any admission controller) that decides
   * @return the handler
   */
  public static WasmAdmissionHandler of(AdmissionController controller) {
    return new WasmAdmissionHandler(Objects.requireNonNull(controller, "controller"));
  }

  /**
   * A handler asking the admission chain of a configuration file (modules are loaded, checked and
   * compiled now).
   *
   * @param config a k8s-wasm admission configuration (YAML or JSON)
   * @return the handler
   * @throws IllegalArgumentException when the configuration or one of its modules is invalid
   */
  public static WasmAdmissionHandler fromConfig(Path config) {
    return new WasmAdmissionHandler(Chains.admission(config));
  }

  /**
   * Admits one request.
   *
   * @param request the request kube-apiserver sent
   * @return the chain's answer, with the request's uid
   * @throws IllegalArgumentException when the request cannot be read (JOSDK answers with an error)
   */
  @Override
  public AdmissionResponse handle(AdmissionRequest request) {
    Objects.requireNonNull(request, "request");
    AdmissionReview review = new AdmissionReview();
    review.setApiVersion("admission.k8s.io/v1");
    review.setKind("AdmissionReview");
    review.setRequest(request);
    return handler.handle(review).getResponse();
  }

  /** Closes the chain and its modules. */
  @Override
  public void close() {
    handler.close();
  }
}
