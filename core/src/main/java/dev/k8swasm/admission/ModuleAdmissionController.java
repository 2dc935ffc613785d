package dev.k8swasm.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.k8swasm.internal.ModuleCalls;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import dev.k8swasm.observe.EvaluationDecision;
import dev.k8swasm.observe.EvaluationListener;
import java.util.Base64;
import java.util.Objects;

/**
 * An {@link AdmissionController} that asks one module, checking its answer as kube-apiserver checks
 * a webhook's: a response must be present, be an {@code admission.k8s.io/v1 AdmissionReview} and
 * echo the request uid; {@code patch} and {@code patchType} come together; a validating module may
 * not patch. A {@code Full} patch (the complete new object) and an RFC 6902 {@code JSONPatch} are
 * accepted; the returned response always carries a JSONPatch against the request's object (none
 * when nothing changed).
 *
 * <p>Any failure is thrown as a {@link ModuleException} with a stable {@link FailureReason} ({@code
 * BAD_REQUEST} for a review without a request); {@link AdmissionChain} applies the module's failure
 * policy to it. Thread-safe: evaluations run concurrently, each in a fresh module state. Closing it
 * closes the module; afterwards {@link #admit} throws a {@code ModuleException} with reason {@code
 * CLOSED}.
 */
public final class ModuleAdmissionController implements AdmissionController, AutoCloseable {
  /** BAD_OUTPUT for a patch from a validating module: says how to declare a module mutating. */
  static final String VALIDATING_PATCH =
      "a validating module may not return a patch; if it is meant to mutate, declare it mutating"
          + " (mutating: true in its configuration, --mutating for k8s-wasm run,"
          + " ModuleAdmissionController.mutating(module) in code)";

  private final PolicyModule module;
  private final boolean mutating;
  private final EvaluationListener listener;

  private ModuleAdmissionController(PolicyModule module, boolean mutating, EvaluationListener l) {
    this.module = Objects.requireNonNull(module, "module");
    this.mutating = mutating;
    this.listener = Objects.requireNonNull(l, "listener");
  }

  /** A validating controller asking {@code module}. */
  public static ModuleAdmissionController validating(PolicyModule module) {
    return new ModuleAdmissionController(module, false, EvaluationListener.NONE);
  }

  /** A mutating controller asking {@code module}. */
  public static ModuleAdmissionController mutating(PolicyModule module) {
    return new ModuleAdmissionController(module, true, EvaluationListener.NONE);
  }

  /** A validating controller asking {@code module} (same as {@link #validating}). */
  public static ModuleAdmissionController of(PolicyModule module) {
    return validating(module);
  }

  /** A controller asking {@code module}, reporting to {@code listener}. */
  public static ModuleAdmissionController of(
      PolicyModule module, boolean mutating, EvaluationListener listener) {
    return new ModuleAdmissionController(module, mutating, listener);
  }

  /** A builder for a controller asking {@code module} (validating, reporting nowhere). */
  public static Builder builder(PolicyModule module) {
    return new Builder(module);
  }

  /** The module's name. */
  public String name() {
    return module.name();
  }

  @Override
  public boolean mutating() {
    return mutating;
  }

  @Override
  public AdmissionReview admit(AdmissionReview review) {
    Objects.requireNonNull(review, "review");
    AdmissionRequest request = review.request();
    if (request == null) {
      throw new ModuleException(
          module.name(), FailureReason.BAD_REQUEST, "the AdmissionReview has no request");
    }
    long start = System.nanoTime();
    try {
      AdmissionResponse response = ask(review, request);
      report(
          start,
          response.allowedOrFalse() ? EvaluationDecision.ALLOW : EvaluationDecision.DENY,
          null);
      return review.withResponse(response);
    } catch (ModuleException e) {
      report(start, EvaluationDecision.ERROR, e.reason());
      throw e;
    }
  }

  private void report(long start, EvaluationDecision decision, FailureReason failure) {
    EvaluationListener.report(
        listener, module.name(), ReviewKind.ADMISSION, decision, start, failure);
  }

  private AdmissionResponse ask(AdmissionReview review, AdmissionRequest request) {
    AdmissionReview sent =
        new AdmissionReview(
            AdmissionReview.V1, AdmissionReview.KIND, request, null, review.additionalProperties());
    AdmissionReview returned =
        ModuleCalls.ask(
            module, ReviewKind.ADMISSION, sent, AdmissionReview.class, "an AdmissionReview");
    if (!AdmissionReview.V1.equals(returned.apiVersion())
        || !AdmissionReview.KIND.equals(returned.kind())) {
      throw bad(
          "expected response of apiVersion admission.k8s.io/v1 and kind AdmissionReview, got '"
              + returned.apiVersion()
              + "' / '"
              + returned.kind()
              + "'");
    }
    AdmissionResponse response = returned.response();
    if (response == null) {
      throw bad("the AdmissionReview it returned has no response");
    }
    if (!Objects.equals(response.uid(), request.uid())) {
      throw bad(
          "response uid '"
              + response.uid()
              + "' does not match the request uid '"
              + request.uid()
              + "'");
    }
    boolean hasPatch = response.patch() != null && !response.patch().isEmpty();
    boolean hasType = response.patchType() != null && !response.patchType().isEmpty();
    if (!hasPatch && !hasType) {
      return response;
    }
    if (hasPatch != hasType) {
      throw bad("patch and patchType must be set together");
    }
    if (!mutating) {
      throw bad(VALIDATING_PATCH);
    }
    if (!response.allowedOrFalse()) {
      return response.withPatch(null, null);
    }
    return response.withPatch(toJsonPatch(request, response), AdmissionResponse.JSON_PATCH);
  }

  private byte[] toJsonPatch(AdmissionRequest request, AdmissionResponse response) {
    JsonNode object = request.object();
    if (object == null || object.isNull()) {
      throw bad(
          "it tried to mutate an object that does not exist ("
              + request.operation()
              + " requests carry no object)");
    }
    byte[] patch;
    try {
      patch = Base64.getDecoder().decode(response.patch());
    } catch (IllegalArgumentException e) {
      throw bad("patch is not valid base64");
    }
    JsonNode parsed;
    try {
      parsed = Json.reader().readTree(patch);
    } catch (java.io.IOException e) {
      throw badPatch("patch is not valid JSON: " + e.getMessage());
    }
    ArrayNode jsonPatch;
    switch (response.patchType()) {
      case AdmissionResponse.FULL -> {
        if (parsed == null || !parsed.isObject()) {
          throw badPatch("a Full patch must be the complete object as a JSON object");
        }
        jsonPatch = JsonPatches.diff(object, parsed);
      }
      case AdmissionResponse.JSON_PATCH -> {
        try {
          JsonPatches.apply(parsed, object);
        } catch (IllegalArgumentException e) {
          throw badPatch(e.getMessage());
        }
        jsonPatch = (ArrayNode) parsed;
      }
      default ->
          throw bad("unsupported patchType '" + response.patchType() + "' (use JSONPatch or Full)");
    }
    return jsonPatch.isEmpty() ? null : Json.write(jsonPatch);
  }

  private ModuleException badPatch(String detail) {
    return new PatchException(module.name(), detail);
  }

  private ModuleException bad(String detail) {
    return new ModuleException(module.name(), FailureReason.BAD_OUTPUT, detail);
  }

  @Override
  public void close() {
    module.close();
  }

  @Override
  public String toString() {
    return "ModuleAdmissionController[" + module.name() + (mutating ? ", mutating]" : "]");
  }

  /** Builds {@link ModuleAdmissionController}s. */
  public static final class Builder {
    private final PolicyModule module;
    private boolean mutating;
    private EvaluationListener listener = EvaluationListener.NONE;

    private Builder(PolicyModule module) {
      this.module = Objects.requireNonNull(module, "module");
    }

    /** Whether the module mutates (runs in the mutating phase; default false). */
    public Builder mutating(boolean mutating) {
      this.mutating = mutating;
      return this;
    }

    public Builder listener(EvaluationListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public ModuleAdmissionController build() {
      return new ModuleAdmissionController(module, mutating, listener);
    }
  }
}
