package dev.k8swasm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.admission.AdmissionController;
import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.authn.AuthenticationResult;
import dev.k8swasm.authn.Authenticator;
import dev.k8swasm.authz.AuthorizationDecision;
import dev.k8swasm.authz.Authorizer;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.ReviewKind;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Answers requests of one kind with an {@link Authenticator}, {@link Authorizer} or {@link
 * AdmissionController} (one module or a configured chain), producing the document the CLI prints
 * and whether a module failed on the way. Built by {@link Deciders}; close it to free the modules.
 */
public final class Decider implements AutoCloseable {

  /** The answer to one request. */
  public static final class Outcome {
    private final JsonNode document;
    private final String failure;

    private Outcome(JsonNode document, String failure) {
      this.document = Objects.requireNonNull(document, "document");
      this.failure = failure;
    }

    /** An answer reached without module failures. */
    static Outcome of(JsonNode document) {
      return new Outcome(document, null);
    }

    /** An answer into which the library turned module failures, described by {@code failure}. */
    static Outcome withFailure(JsonNode document, String failure) {
      return new Outcome(document, Objects.requireNonNull(failure, "failure"));
    }

    /**
     * The document to print: the review with its status or response, or for a bare AdmissionRequest
     * just the AdmissionResponse.
     */
    public JsonNode document() {
      return document;
    }

    /** A description of the module failures met, if any. */
    public Optional<String> failure() {
      return Optional.ofNullable(failure);
    }
  }

  private final ReviewKind kind;
  private final Function<ReviewRequest, Outcome> answer;
  private final AutoCloseable resource;
  private final FailureRecorder failures;

  private Decider(
      ReviewKind kind,
      Function<ReviewRequest, Outcome> answer,
      AutoCloseable resource,
      FailureRecorder failures) {
    this.kind = kind;
    this.answer = answer;
    this.resource = resource;
    this.failures = failures;
  }

  static Decider authentication(
      Authenticator authenticator, AutoCloseable resource, FailureRecorder failures) {
    return new Decider(
        ReviewKind.AUTHENTICATION,
        r -> {
          var review = ((ReviewRequest.Authentication) r).review();
          AuthenticationResult result = authenticator.authenticate(review);
          return outcome(Json.toTree(result.respondTo(review)), result.errorMessage(), failures);
        },
        resource,
        failures);
  }

  static Decider authorization(
      Authorizer authorizer, AutoCloseable resource, FailureRecorder failures) {
    return new Decider(
        ReviewKind.AUTHORIZATION,
        r -> {
          var review = ((ReviewRequest.Authorization) r).review();
          AuthorizationDecision decision = authorizer.authorize(review);
          return outcome(
              Json.toTree(decision.respondTo(review)), decision.evaluationError(), failures);
        },
        resource,
        failures);
  }

  static Decider admission(
      AdmissionController controller, AutoCloseable resource, FailureRecorder failures) {
    return new Decider(
        ReviewKind.ADMISSION,
        r -> {
          ReviewRequest.Admission request = (ReviewRequest.Admission) r;
          AdmissionReview answered = controller.admit(request.review());
          AdmissionResponse response = answered.response();
          String message =
              response != null && response.status() != null ? response.status().message() : null;
          if (message == null && response != null && response.warnings() != null) {
            message = String.join("; ", response.warnings());
          }
          // Answer as a webhook does: the review without the request (or, for a bare
          // AdmissionRequest, the AdmissionResponse alone, as kwctl prints it).
          JsonNode document =
              request.bare() ? Json.toTree(response) : Json.toTree(answered.withRequest(null));
          return outcome(document, message, failures);
        },
        resource,
        failures);
  }

  private static Outcome outcome(JsonNode document, String message, FailureRecorder failures) {
    if (failures.failures().isEmpty()) {
      return Outcome.of(document);
    }
    String failure = message == null || message.isEmpty() ? failures.describe() : message;
    return Outcome.withFailure(document, failure);
  }

  /** The kind of request this decider answers. */
  public ReviewKind kind() {
    return kind;
  }

  /**
   * Answers {@code request}, which must be of {@link #kind()}.
   *
   * @throws IllegalArgumentException when it is of another kind
   */
  public Outcome decide(ReviewRequest request) {
    Objects.requireNonNull(request, "request");
    if (request.kind() != kind) {
      throw new IllegalArgumentException(
          "this decider answers " + kind.wireKind() + "s, not " + request.kind().wireKind() + "s");
    }
    failures.reset();
    return answer.apply(request);
  }

  @Override
  public void close() {
    try {
      resource.close();
    } catch (Exception e) {
      org.slf4j.LoggerFactory.getLogger(Decider.class).warn("closing failed: {}", e.toString());
    }
  }
}
