package dev.k8swasm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.admission.AdmissionRequest;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.ReviewKind;
import java.util.Optional;

/**
 * A request read from a file or stdin, with its kind detected from the document: a TokenReview, a
 * SubjectAccessReview, an AdmissionReview, or a bare AdmissionRequest (as {@code kwctl run}
 * accepts), which is evaluated inside an AdmissionReview and answered with just the response.
 */
public sealed interface ReviewRequest {

  /** The expected kinds, for messages. */
  String EXPECTED =
      "expected TokenReview, SubjectAccessReview, AdmissionReview or an AdmissionRequest";

  /** What kind of review this is. */
  ReviewKind kind();

  /** Where the request was read from, for messages. */
  String source();

  /** A bearer token the request holds, which must never be printed in an error. */
  default Optional<String> secret() {
    return Optional.empty();
  }

  /** A TokenReview. */
  record Authentication(TokenReview review, String source) implements ReviewRequest {
    @Override
    public ReviewKind kind() {
      return ReviewKind.AUTHENTICATION;
    }

    @Override
    public Optional<String> secret() {
      return Optional.ofNullable(review.token());
    }
  }

  /** A SubjectAccessReview. */
  record Authorization(SubjectAccessReview review, String source) implements ReviewRequest {
    @Override
    public ReviewKind kind() {
      return ReviewKind.AUTHORIZATION;
    }
  }

  /**
   * An AdmissionReview; {@code bare} when the document was a bare AdmissionRequest (then only the
   * AdmissionResponse is printed).
   */
  record Admission(AdmissionReview review, boolean bare, String source) implements ReviewRequest {
    @Override
    public ReviewKind kind() {
      return ReviewKind.ADMISSION;
    }
  }

  /**
   * Detects the kind of {@code document} and converts it.
   *
   * @throws CliException when the kind is unknown or the document does not fit its kind
   */
  static ReviewRequest of(JsonNode document, String source) {
    if (!document.isObject()) {
      throw new CliException(
          "unknown request kind in " + source + ": not an object (" + EXPECTED + ")");
    }
    JsonNode kind = document.get("kind");
    if (kind != null && kind.isTextual()) {
      return switch (kind.asText()) {
        case TokenReview.KIND ->
            new Authentication(convert(document, TokenReview.class, source), source);
        case SubjectAccessReview.KIND ->
            new Authorization(convert(document, SubjectAccessReview.class, source), source);
        case AdmissionReview.KIND -> admissionReview(document, source);
        default ->
            throw new CliException(
                "unknown request kind '"
                    + kind.asText()
                    + "' in "
                    + source
                    + " ("
                    + EXPECTED
                    + ")");
      };
    }
    if (isBareAdmissionRequest(document)) {
      AdmissionRequest request = convert(document, AdmissionRequest.class, source);
      return new Admission(AdmissionReview.of(request), true, source);
    }
    throw new CliException(
        "unknown request kind in "
            + source
            + ": it has no 'kind' and is not an AdmissionRequest ("
            + EXPECTED
            + ")");
  }

  private static boolean isBareAdmissionRequest(JsonNode d) {
    return !d.has("apiVersion")
        && (d.get("kind") == null || d.get("kind").isObject())
        && d.path("operation").isTextual()
        && (d.has("uid") || d.has("kind") || d.has("resource"));
  }

  private static Admission admissionReview(JsonNode document, String source) {
    AdmissionReview review = convert(document, AdmissionReview.class, source);
    if (review.request() == null) {
      throw new CliException("the AdmissionReview in " + source + " has no 'request'");
    }
    return new Admission(review, false, source);
  }

  private static <T> T convert(JsonNode document, Class<T> type, String source) {
    try {
      return Json.convert(document, type);
    } catch (IllegalArgumentException e) {
      throw new CliException("invalid request in " + source + ": " + e.getMessage(), e);
    }
  }
}
