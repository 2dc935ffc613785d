package dev.k8swasm.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.admission.Status;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks the answer to an AdmissionReview.
 *
 * <pre>{@code
 * assertThat(validator.admit(review))
 *     .isDenied().withMessageContaining("not allowed").withCode(403);
 * assertThat(mutator.admit(review))
 *     .isAllowed().mutates().withPatchOperations(
 *         "{op: add, path: /data/magic-value, value: foobar}");
 * }</pre>
 *
 * Denial details ({@link #withMessage}, {@link #withCode}...) are checked on the response's {@code
 * status}. When a single module failed (it trapped, timed out, answered nonsense...), {@link
 * #isAllowed()} and {@link #isDenied()} fail and say why; check such a failure with {@link
 * #failsWith(FailureReason)}.
 */
public final class AdmissionAssert extends AbstractAssert {
  private final AdmissionOutcome actual;

  AdmissionAssert(AdmissionOutcome actual) {
    super(actual.evidence());
    this.actual = actual;
  }

  /** The outcome under test. */
  public AdmissionOutcome outcome() {
    return actual;
  }

  /** The request is admitted. */
  public AdmissionAssert isAllowed() {
    AdmissionResponse response = response("to be allowed");
    if (!response.allowedOrFalse()) {
      throw failure(
          "Expected the request to be allowed, but it was denied" + describeStatus(response));
    }
    return this;
  }

  /** The request is denied. */
  public AdmissionAssert isDenied() {
    AdmissionResponse response = response("to be denied");
    if (response.allowedOrFalse()) {
      throw failure(
          "Expected the request to be denied, but it was allowed"
              + (response.patch() == null ? "" : " (with a patch)"));
    }
    return this;
  }

  /** The denial's message is exactly {@code message}. */
  public AdmissionAssert withMessage(String message) {
    String have = status("a message").message();
    if (!Objects.equals(message, have)) {
      throw failure("Expected another status message", message, have);
    }
    return this;
  }

  /** The denial's message contains {@code text}. */
  public AdmissionAssert withMessageContaining(String text) {
    String have = status("a message").message();
    if (have == null || !have.contains(text)) {
      throw failure("Expected a status message containing " + Texts.quote(text), text, have);
    }
    return this;
  }

  /** The denial's HTTP code is {@code code}. */
  public AdmissionAssert withCode(int code) {
    Integer have = status("a code").code();
    if (have == null || have != code) {
      throw failure("Expected another status code", code, have);
    }
    return this;
  }

  /** The denial's machine-readable reason (e.g. {@code Forbidden}) is {@code reason}. */
  public AdmissionAssert withReason(String reason) {
    String have = status("a reason").reason();
    if (!Objects.equals(reason, have)) {
      throw failure("Expected another status reason", reason, have);
    }
    return this;
  }

  /** The warnings are exactly these, in this order. */
  public AdmissionAssert hasWarnings(String... warnings) {
    List<String> have = warnings();
    if (!List.of(warnings).equals(have)) {
      throw failure("Expected other warnings", List.of(warnings), have);
    }
    return this;
  }

  /** One of the warnings contains {@code text}. */
  public AdmissionAssert hasWarningContaining(String text) {
    List<String> have = warnings();
    if (have.stream().noneMatch(w -> w.contains(text))) {
      throw failure("Expected a warning containing " + Texts.quote(text), text, have);
    }
    return this;
  }

  /** There are no warnings. */
  public AdmissionAssert hasNoWarnings() {
    List<String> have = warnings();
    if (!have.isEmpty()) {
      throw failure("Expected no warnings, but got " + Texts.quote(have));
    }
    return this;
  }

  /**
   * The audit annotation {@code key} has {@code value}. A chain prefixes keys with the module name
   * and a dot ({@code magic-validator.key}); a single module's keys are as it wrote them.
   */
  public AdmissionAssert hasAuditAnnotation(String key, String value) {
    Map<String, String> have = annotations();
    if (!have.containsKey(key)) {
      throw failure(
          "Expected the audit annotation "
              + Texts.quote(key)
              + ", but there is none; annotations: "
              + have,
          key + "=" + value,
          have);
    }
    if (!Objects.equals(value, have.get(key))) {
      throw failure(
          "Expected another value of the audit annotation " + Texts.quote(key),
          value,
          have.get(key));
    }
    return this;
  }

  /** There are no audit annotations. */
  public AdmissionAssert hasNoAuditAnnotations() {
    Map<String, String> have = annotations();
    if (!have.isEmpty()) {
      throw failure("Expected no audit annotations, but got " + have);
    }
    return this;
  }

  /** The response changes the object; continue with what it changes it to. */
  public MutationAssert mutates() {
    AdmissionResponse response = response("to mutate the object");
    Optional<ArrayNode> patch = actual.patch();
    if (patch.isEmpty() || patch.get().isEmpty()) {
      throw failure(
          "Expected the object to be mutated, but the response has no patch"
              + (response.allowedOrFalse()
                  ? ""
                  : " (it was denied" + describeStatus(response) + ")"));
    }
    return new MutationAssert(this, actual, patch.get());
  }

  /** The response does not change the object. */
  public AdmissionAssert doesNotMutate() {
    response("not to mutate the object");
    Optional<ArrayNode> patch = actual.patch();
    if (patch.isPresent() && !patch.get().isEmpty()) {
      throw failure(
          "Expected the object not to be mutated, but the response has the patch\n"
              + Texts.indent(Texts.pretty(patch.get())));
    }
    return this;
  }

  /** The module failed (a single module's outcome only: a chain applies the failure policy). */
  public AdmissionAssert hasFailed() {
    if (actual.failure().isEmpty()) {
      AdmissionResponse r = actual.response().orElse(null);
      throw failure(
          "Expected the module to fail, but it answered: "
              + (r == null ? "no response" : r.allowedOrFalse() ? "allowed" : "denied")
              + (r == null ? "" : describeStatus(r)));
    }
    return this;
  }

  /** The module failed for {@code reason}. */
  public AdmissionAssert failsWith(FailureReason reason) {
    hasFailed();
    RuntimeException e = actual.failure().get();
    FailureReason have = e instanceof ModuleException m ? m.reason() : null;
    if (have != reason) {
      throw failure(
          "Expected the module to fail for another reason ("
              + Texts.redact(String.valueOf(e.getMessage()))
              + ")",
          reason,
          have);
    }
    return this;
  }

  /** The module failed with a message containing {@code text}. */
  public AdmissionAssert failsWithMessageContaining(String text) {
    hasFailed();
    String message = Texts.redact(String.valueOf(actual.failure().get().getMessage()));
    if (!message.contains(text)) {
      throw failure(
          "Expected the module's failure message to contain " + Texts.quote(text), text, message);
    }
    return this;
  }

  private AdmissionResponse response(String expectation) {
    Optional<RuntimeException> failed = actual.failure();
    if (failed.isPresent()) {
      RuntimeException e = failed.get();
      String why =
          e instanceof ModuleException m
              ? Texts.redact(m.getMessage())
              : Texts.redact(String.valueOf(e));
      throw failure("Expected the request " + expectation + ", but the module failed: " + why);
    }
    return actual
        .response()
        .orElseThrow(
            () -> failure("Expected the request " + expectation + ", but there is no response"));
  }

  private Status status(String what) {
    AdmissionResponse response = response("to be denied with " + what);
    if (response.status() == null) {
      throw failure(
          "Expected a status with "
              + what
              + ", but the response has no status (it was "
              + (response.allowedOrFalse() ? "allowed" : "denied")
              + ")");
    }
    return response.status();
  }

  private List<String> warnings() {
    List<String> w = response("to have warnings").warnings();
    return w == null ? List.of() : w;
  }

  private Map<String, String> annotations() {
    Map<String, String> a = response("to have audit annotations").auditAnnotations();
    return a == null ? Map.of() : a;
  }

  private static String describeStatus(AdmissionResponse response) {
    Status s = response.status();
    if (s == null) {
      return " (no status)";
    }
    StringBuilder out = new StringBuilder();
    if (s.code() != null) {
      out.append(" with code ").append(s.code());
    }
    if (s.reason() != null) {
      out.append(out.length() == 0 ? " with" : ",")
          .append(" reason ")
          .append(Texts.quote(s.reason()));
    }
    if (s.message() != null) {
      out.append(out.length() == 0 ? " with" : " and")
          .append(" message ")
          .append(Texts.quote(s.message()));
    }
    return out.toString();
  }
}
