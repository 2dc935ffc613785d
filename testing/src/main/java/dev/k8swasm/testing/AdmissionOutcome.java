package dev.k8swasm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.admission.JsonPatches;
import dev.k8swasm.json.Json;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of admitting an AdmissionReview in a test: the answer, or the failure of a single
 * module (a chain never fails: it applies the failure policy), with the evidence failure messages
 * show. Check it with {@link WasmAssertions#assertThat(AdmissionOutcome)}.
 */
public final class AdmissionOutcome {
  private final AdmissionReview request;
  private final AdmissionReview answer;
  private final RuntimeException failure;
  private final List<ModuleCall> calls;
  private final boolean recorded;

  AdmissionOutcome(
      AdmissionReview request,
      AdmissionReview answer,
      RuntimeException failure,
      List<ModuleCall> calls) {
    this(request, answer, failure, calls, true);
  }

  AdmissionOutcome(
      AdmissionReview request,
      AdmissionReview answer,
      RuntimeException failure,
      List<ModuleCall> calls,
      boolean recorded) {
    this.request = Objects.requireNonNull(request, "request");
    if ((answer == null) == (failure == null)) {
      throw new IllegalArgumentException("exactly one of answer and failure");
    }
    this.answer = answer;
    this.failure = failure;
    this.calls = List.copyOf(calls);
    this.recorded = recorded;
  }

  /** The review that was admitted. */
  public AdmissionReview request() {
    return request;
  }

  /** The answered review, unless the module failed. */
  public Optional<AdmissionReview> answer() {
    return Optional.ofNullable(answer);
  }

  /** The response, unless the module failed (or answered without one). */
  public Optional<AdmissionResponse> response() {
    return answer().map(AdmissionReview::response);
  }

  /** Why the module failed, when it did. */
  public Optional<RuntimeException> failure() {
    return Optional.ofNullable(failure);
  }

  /** What each module was given and answered. */
  public List<ModuleCall> calls() {
    return calls;
  }

  /** Whether the request was admitted. */
  public boolean allowed() {
    return response().map(AdmissionResponse::allowedOrFalse).orElse(false);
  }

  /** The JSONPatch of the response, decoded, if there is one. */
  public Optional<ArrayNode> patch() {
    byte[] bytes = response().map(AdmissionResponse::patchBytes).orElse(null);
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      JsonNode node = Json.reader().readTree(bytes);
      if (!(node instanceof ArrayNode array)) {
        throw new IllegalStateException("the patch is not a JSON array: " + Texts.compact(node));
      }
      return Optional.of(array);
    } catch (IOException e) {
      throw new IllegalStateException("the patch is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** The object being admitted, before any mutation (null on DELETE). */
  public JsonNode originalObject() {
    JsonNode object = request.request() == null ? null : request.request().object();
    return object == null || object.isNull() ? null : object;
  }

  /** The object as admitted: the original with the response's patch applied. */
  public JsonNode resultingObject() {
    JsonNode original = originalObject();
    Optional<ArrayNode> patch = patch();
    if (patch.isEmpty()) {
      return original;
    }
    if (original == null) {
      throw new IllegalStateException("the response patches an object that does not exist");
    }
    return JsonPatches.apply(patch.get(), original);
  }

  Evidence evidence() {
    return recorded ? Evidence.of(request, calls) : Evidence.unrecorded(request);
  }

  @Override
  public String toString() {
    return "AdmissionOutcome["
        + (answer != null ? String.valueOf(answer.response()) : "failed: " + failure)
        + "]";
  }
}
