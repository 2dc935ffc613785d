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

  /**
   * The answer to one request.
   *
   * @param document the document to print: the review with its status or response, or for a bare
   *     AdmissionRequest just the AdmissionResponse
   * @param failure a description of the module failures met, if any (the library turned them into
   *     the decision in {@code document})
   */
  public record Outcome(JsonNode document, Optional<String> failure) {}

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
      return new Outcome(document, Optional.empty());
    }
    String failure = message == null || message.isEmpty() ? failures.describe() : message;
    return new Outcome(document, Optional.of(failure));
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
