package dev.k8swasm.server;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.admission.AdmissionChain;
import dev.k8swasm.admission.AdmissionRequest;
import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.authn.AuthenticationResult;
import dev.k8swasm.authn.AuthenticatorChain;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.authz.AuthorizationDecision;
import dev.k8swasm.authz.AuthorizerChain;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.json.Json;
import dev.k8swasm.json.Redaction;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Turns request bodies into answers the way kube-apiserver expects them: the review comes back with
 * the apiVersion and kind it was sent with and its {@code status} (TokenReview,
 * SubjectAccessReview) or {@code response} with the request's uid (AdmissionReview). A body that is
 * not such a review is a {@link HttpError} 400 whose message says what is wrong, never what the
 * body contained (it may hold a token).
 */
final class Reviews {
  static final Set<String> TOKEN_REVIEW_VERSIONS = Set.of(TokenReview.V1, TokenReview.V1BETA1);
  static final Set<String> SAR_VERSIONS =
      Set.of(SubjectAccessReview.V1, SubjectAccessReview.V1BETA1);
  static final String ADMISSION_V1BETA1 = "admission.k8s.io/v1beta1";
  static final Set<String> ADMISSION_VERSIONS = Set.of(AdmissionReview.V1, ADMISSION_V1BETA1);

  /** What a module wrote to stderr, as appended to failure messages by the sandbox. */
  private static final String STDERR_NOTE = "; stderr: ";

  private Reviews() {}

  /**
   * {@code message} as clients see it: without the module's stderr (which is logged at debug level
   * only) unless {@code debug}.
   */
  static String forClient(String message, boolean debug) {
    if (message == null || debug) {
      return message;
    }
    int at = message.indexOf(STDERR_NOTE);
    return at < 0
        ? message
        : message.substring(0, at) + " (module output is logged at debug level)";
  }

  /**
   * The answer to one review.
   *
   * @param body the JSON to send
   * @param decision the decision, for logs
   * @param user the user concerned, for logs (never a token)
   * @param uid the AdmissionReview uid, or null
   * @param message the decision's message or error, for logs, or null
   */
  record Answer(byte[] body, String decision, String user, String uid, String message) {}

  /** Authenticates a TokenReview (v1 or v1beta1). */
  static Answer authenticate(byte[] body, AuthenticatorChain chain, boolean debug) {
    JsonNode doc = parse(body, TokenReview.KIND, TOKEN_REVIEW_VERSIONS);
    String token =
        doc.path("spec").path("token").isTextual() ? doc.path("spec").path("token").asText() : null;
    if (token == null || token.isEmpty()) {
      throw HttpError.badRequest("the TokenReview has no spec.token");
    }
    TokenReview review = convert(doc, TokenReview.class);
    AuthenticationResult result = chain.authenticate(review);
    ObjectNode answer = Json.toTree(result.respondTo(review));
    String error = result.errorMessage();
    if (error != null) {
      // a module may have echoed the token in its error: it must not travel on, nor be logged
      error = forClient(withoutSecret(error, token), debug);
      ((ObjectNode) answer.path("status")).put("error", error);
    }
    String decision =
        result.authenticated() ? "authenticated" : error != null ? "error" : "unauthenticated";
    return new Answer(
        Json.write(answer),
        decision,
        result.authenticated() ? result.user().username() : null,
        null,
        error);
  }

  /** Authorizes a SubjectAccessReview (v1 or v1beta1). */
  static Answer authorize(byte[] body, AuthorizerChain chain, boolean debug) {
    JsonNode doc = parse(body, SubjectAccessReview.KIND, SAR_VERSIONS);
    if (!doc.path("spec").isObject()) {
      throw HttpError.badRequest("the SubjectAccessReview has no spec");
    }
    SubjectAccessReview review = convert(doc, SubjectAccessReview.class);
    AuthorizationDecision decision = chain.authorize(review);
    String label =
        switch (decision.decision()) {
          case ALLOW -> "allow";
          case DENY -> "deny";
          case NO_OPINION -> "no-opinion";
        };
    String message =
        decision.evaluationError() != null
            ? forClient(decision.evaluationError(), debug)
            : decision.reason().isEmpty() ? null : decision.reason();
    ObjectNode answer = Json.toTree(decision.respondTo(review));
    if (decision.evaluationError() != null && answer.path("status").isObject()) {
      ((ObjectNode) answer.path("status")).put("evaluationError", message);
    }
    return new Answer(
        Json.write(answer),
        label,
        review.spec() == null ? null : review.spec().user(),
        null,
        message);
  }

  /** Admits an AdmissionReview with {@code chain} (a phase or a single module). */
  static Answer admit(byte[] body, AdmissionChain chain, boolean debug) {
    JsonNode doc = parse(body, AdmissionReview.KIND, ADMISSION_VERSIONS);
    JsonNode request = doc.get("request");
    if (request == null || !request.isObject()) {
      throw HttpError.badRequest("the AdmissionReview has no request");
    }
    JsonNode uid = request.get("uid");
    if (uid == null || !uid.isTextual() || uid.asText().isEmpty()) {
      throw HttpError.badRequest(
          "the AdmissionReview's request has no uid (the response must echo it)");
    }
    AdmissionReview review = convert(doc, AdmissionReview.class);
    AdmissionRequest req = review.request();
    AdmissionResponse response = chain.admit(review).response();
    if (response == null || !Objects.equals(response.uid(), req.uid())) {
      throw new IllegalStateException("the admission chain answered for another uid");
    }
    ObjectNode answer = JsonNodeFactory.instance.objectNode();
    answer.put("apiVersion", review.apiVersion());
    answer.put("kind", AdmissionReview.KIND);
    ObjectNode responseTree = Json.toTree(response);
    if (responseTree.path("status").path("message").isTextual()) {
      ((ObjectNode) responseTree.path("status"))
          .put("message", forClient(responseTree.path("status").path("message").asText(), debug));
    }
    answer.set("response", responseTree);
    String decision =
        response.allowedOrFalse() ? (response.patch() != null ? "patched" : "allowed") : "denied";
    String message =
        response.status() != null && !response.allowedOrFalse()
            ? forClient(response.status().message(), debug)
            : null;
    if (message == null && response.warnings() != null && !response.warnings().isEmpty()) {
      message = String.join("; ", response.warnings());
    }
    return new Answer(
        Json.write(answer),
        decision,
        req.userInfo() == null ? null : req.userInfo().username(),
        req.uid(),
        message);
  }

  /** Parses {@code body} as a JSON object of {@code kind} in one of {@code versions}. */
  static JsonNode parse(byte[] body, String kind, Set<String> versions) {
    if (body.length == 0) {
      throw HttpError.badRequest("the request body is empty (expected a " + kind + ")");
    }
    JsonNode doc;
    try (JsonParser parser = Json.reader().createParser(body)) {
      doc = Json.reader().readTree(parser);
      boolean trailing;
      try {
        trailing = parser.nextToken() != null;
      } catch (JsonProcessingException e) {
        trailing = true;
      }
      if (trailing) {
        throw HttpError.badRequest(
            "the request body has data after the JSON document"
                + at(parser.currentTokenLocation()));
      }
    } catch (JsonProcessingException e) {
      throw HttpError.badRequest("the request body is not valid JSON" + at(e.getLocation()));
    } catch (IOException e) {
      throw HttpError.badRequest("the request body cannot be read");
    }
    if (doc == null || !doc.isObject()) {
      throw HttpError.badRequest("the request body is not a JSON object (expected a " + kind + ")");
    }
    JsonNode k = doc.get("kind");
    if (k == null || !k.isTextual() || !k.asText().equals(kind)) {
      throw HttpError.badRequest(
          "expected kind "
              + kind
              + ", got "
              + (k == null || !k.isTextual() ? "no kind" : "'" + clip(k.asText()) + "'"));
    }
    JsonNode v = doc.get("apiVersion");
    if (v == null || !v.isTextual() || !versions.contains(v.asText())) {
      throw HttpError.badRequest(
          "unsupported apiVersion "
              + (v == null || !v.isTextual() ? "(none)" : "'" + clip(v.asText()) + "'")
              + " for "
              + kind
              + " (expected "
              + String.join(" or ", versions.stream().sorted().toList())
              + ")");
    }
    return doc;
  }

  private static String at(JsonLocation at) {
    return at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }

  private static <T> T convert(JsonNode doc, Class<T> type) {
    try {
      return Json.reader().treeToValue(doc, type);
    } catch (JsonMappingException e) {
      throw HttpError.badRequest(
          "not a valid "
              + type.getSimpleName()
              + ": field '"
              + path(e.getPath())
              + "' has the"
              + " wrong type");
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw HttpError.badRequest("not a valid " + type.getSimpleName());
    }
  }

  private static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder s = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) {
        if (s.length() > 0) {
          s.append('.');
        }
        s.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        s.append('[').append(r.getIndex()).append(']');
      }
    }
    return s.length() == 0 ? "(document)" : clip(s.toString());
  }

  private static String clip(String s) {
    String one = s.replaceAll("[\\p{Cntrl}]", "?");
    return one.length() > 100 ? one.substring(0, 100) + "..." : one;
  }

  /** {@code text} without {@code secret} and without anything that looks like a token. */
  static String withoutSecret(String text, String secret) {
    String out =
        secret == null || secret.isEmpty() ? text : text.replace(secret, Redaction.REDACTED);
    return Redaction.redact(out);
  }
}
