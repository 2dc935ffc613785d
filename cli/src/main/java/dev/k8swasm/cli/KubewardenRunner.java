package dev.k8swasm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.json.Json;
import dev.k8swasm.kubewarden.KubewardenPolicy;
import dev.k8swasm.kubewarden.PolicyDetection;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.ModuleType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code k8s-wasm run} for one Kubewarden policy, as {@code kwctl run} does it: the policy
 * validates the request's inner AdmissionRequest; a failure of the policy is part of the answer
 * ({@code allowed: false}, code 500, "internal server error: ..."). A policy that returns a patch
 * while it is neither declared mutating in its metadata nor run with {@code --mutating} is rejected
 * as policy-server does.
 */
final class KubewardenRunner {
  private KubewardenRunner() {}

  /**
   * The module type of {@code module} when none is given: {@code kubewarden} when it looks like a
   * Kubewarden policy (metadata, waPC exports or imports, {@code opa_*} exports, {@code
   * host.call}), else {@code wasi}.
   */
  static String detectType(Path module) {
    try {
      return PolicyDetection.isKubewardenPolicy(Files.readAllBytes(module))
          ? ModuleType.KUBEWARDEN.name()
          : ModuleType.WASI.name();
    } catch (IOException | RuntimeException e) {
      // unreadable or invalid: the wasi runtime reports the problem with the module's name
      return ModuleType.WASI.name();
    }
  }

  /**
   * Evaluates {@code request} with the policy of {@code spec}.
   *
   * @return the answer, shaped like every other module's ({@link Decider.Outcome#document}): the
   *     AdmissionResponse for a bare AdmissionRequest (what kwctl prints), else the AdmissionReview
   *     with the response; and the failure of the policy, if it failed
   */
  static Decider.Outcome run(ModuleSpec spec, ReviewRequest.Admission request, boolean mutating) {
    List<ModuleException> failures = new ArrayList<>();
    AdmissionResponse response;
    try (KubewardenPolicy policy = KubewardenPolicy.load(spec)) {
      response =
          policy.validate(
              request.review().request(), mutating || policy.declaredMutating(), failures::add);
    }
    JsonNode document =
        request.bare()
            ? Json.toTree(response)
            : Json.toTree(request.review().withResponse(response).withRequest(null));
    return failures.isEmpty()
        ? Decider.Outcome.of(document)
        : Decider.Outcome.withFailure(document, failures.get(0).getMessage());
  }

  /**
   * Evaluates {@code document} with the raw policy of {@code spec}: kwctl's {@code {"request":
   * ...}} wrapper is unwrapped, anything else is sent as it is.
   *
   * @return the AdmissionResponse, with no failure reported separately (a failure of the policy is
   *     in the response, code 500)
   */
  static Decider.Outcome runRaw(ModuleSpec spec, JsonNode document) {
    JsonNode request =
        document.isObject() && document.size() == 1 && document.path("request").isObject()
            ? document.get("request")
            : document;
    try (KubewardenPolicy policy = KubewardenPolicy.load(spec)) {
      return Decider.Outcome.of(Json.toTree(policy.validateRaw(request)));
    }
  }
}
