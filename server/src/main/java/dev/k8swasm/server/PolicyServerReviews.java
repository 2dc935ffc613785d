package dev.k8swasm.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.admission.AdmissionController;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers policy-server's endpoints for one policy of a {@code policies.yml}: {@code /validate/ID},
 * {@code /validate_raw/ID} and {@code /audit/ID}, with policy-server's bodies: the policy's own
 * answer (no chain prefix), a custom {@code message} replacing the rejection message (the policy's
 * message becomes {@code status.details.causes[0].message}), a patch from a policy not allowed to
 * mutate turned into policy-server's rejection, a failure of the policy answered as a rejection
 * with code 500; in monitor mode ({@code policyMode: monitor}) every answer becomes an acceptance
 * without patch or status (what the policy decided is logged and counted); the audit answer is the
 * policy's, unprocessed (monitor mode does not apply to it, as in policy-server). A policy that
 * failed to initialize ({@link Policy#failed}) answers every request with a rejection carrying its
 * initialization error, code 500, on every endpoint and in every mode.
 */
final class PolicyServerReviews {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyServerReviews.class);

  /** The start of core's BAD_OUTPUT detail for a patch from a validating module. */
  private static final String VALIDATING_PATCH = "a validating module may not return a patch";

  /** Which endpoint asks. */
  enum Origin {
    VALIDATE,
    VALIDATE_RAW,
    AUDIT
  }

  /**
   * One policy of a policies.yml, as served: its id, its controller (mutating when {@code
   * allowedToMutate}), whether a patch may be returned, its custom rejection message if any, and
   * its mode ({@code protect} or {@code monitor}); or a policy that failed to initialize ({@link
   * #failed}).
   */
  static final class Policy {
    private final String id;
    private final AdmissionController controller;
    private final boolean allowedToMutate;
    private final String message;
    private final PolicyMode mode;
    private final String initializationError;

    /** A policy; {@code message} null when it has no custom rejection message. */
    Policy(
        String id,
        AdmissionController controller,
        boolean allowedToMutate,
        String message,
        PolicyMode mode) {
      this(
          id,
          Objects.requireNonNull(controller, "controller"),
          allowedToMutate,
          message,
          mode,
          null);
    }

    private Policy(
        String id,
        AdmissionController controller,
        boolean allowedToMutate,
        String message,
        PolicyMode mode,
        String initializationError) {
      this.id = Objects.requireNonNull(id, "id");
      this.controller = controller;
      this.allowedToMutate = allowedToMutate;
      this.message = message;
      this.mode = Objects.requireNonNull(mode, "mode");
      this.initializationError = initializationError;
    }

    /**
     * Policy (or group) {@code id}, which failed to initialize with {@code error}: as
     * policy-server's {@code --continue-on-errors}, every request is answered with a rejection
     * carrying {@code error}, code 500, whatever its mode.
     */
    static Policy failed(String id, String error, PolicyMode mode) {
      return new Policy(id, null, false, null, mode, Objects.requireNonNull(error, "error"));
    }

    String id() {
      return id;
    }

    /** The controller; absent for a policy that failed to initialize. */
    Optional<AdmissionController> controller() {
      return Optional.ofNullable(controller);
    }

    boolean allowedToMutate() {
      return allowedToMutate;
    }

    Optional<String> message() {
      return Optional.ofNullable(message);
    }

    PolicyMode mode() {
      return mode;
    }

    /** Why the policy failed to initialize, if it did. */
    Optional<String> initializationError() {
      return Optional.ofNullable(initializationError);
    }
  }

  private PolicyServerReviews() {}

  /**
   * Evaluates {@code body} with {@code policy}; an AdmissionReview (not a raw request) whose {@code
   * request.namespace} is {@code alwaysAcceptNamespace} (null: none) is accepted without
   * evaluation, as policy-server does.
   *
   * @throws HttpError 400 for a body that is not JSON, 422 for JSON without a request object
   */
  static Reviews.Answer evaluate(
      byte[] body,
      Policy policy,
      Origin origin,
      boolean debug,
      PolicyServerMetrics metrics,
      String alwaysAcceptNamespace) {
    JsonNode doc;
    try {
      doc = Json.readTree(body);
    } catch (IllegalArgumentException e) {
      throw HttpError.policyServer(
          400, "BadRequest", "Failed to parse the request body as JSON: " + firstLine(e));
    }
    JsonNode request = doc == null ? null : doc.get("request");
    if (request == null || !request.isObject()) {
      throw HttpError.policyServer(
          422,
          "UnprocessableEntity",
          "Failed to deserialize the JSON body into the target type: missing field `request`");
    }
    String uid = request.path("uid").asText("");
    if (origin != Origin.VALIDATE_RAW && uid.isEmpty()) {
      throw HttpError.policyServer(
          422,
          "UnprocessableEntity",
          "Failed to deserialize the JSON body into the target type: request: missing field"
              + " `uid`");
    }
    ObjectNode sent = JsonNodeFactory.instance.objectNode();
    sent.put("apiVersion", AdmissionReview.V1);
    sent.put("kind", AdmissionReview.KIND);
    sent.set("request", request);
    AdmissionReview review;
    try {
      review = Json.convert(sent, AdmissionReview.class);
    } catch (IllegalArgumentException e) {
      throw HttpError.policyServer(
          422,
          "UnprocessableEntity",
          "Failed to deserialize the JSON body into the target type: " + firstLine(e));
    }
    long start = System.nanoTime();
    if (origin != Origin.VALIDATE_RAW
        && alwaysAcceptNamespace != null
        && alwaysAcceptNamespace.equals(request.path("namespace").asText(null))) {
      // policy-server's always-accepted namespace: answered before the policy is evaluated (even
      // one that failed to initialize), and counted as an accepted evaluation
      ObjectNode accepted =
          JsonNodeFactory.instance.objectNode().put("uid", uid).put("allowed", true);
      metrics.record(policy, origin, request, accepted, System.nanoTime() - start);
      return answer(origin, accepted, request, uid);
    }
    if (policy.initializationError().isPresent()) {
      // policy-server's --continue-on-errors: before the mode, custom message and mutation rules
      String error = policy.initializationError().get();
      metrics.recordInitializationError(policy, error);
      return answer(origin, rejection(uid, error, 500), request, uid);
    }
    ObjectNode response;
    ObjectNode vanilla;
    boolean failed = false;
    boolean monitor = policy.mode() == PolicyMode.MONITOR && origin != Origin.AUDIT;
    try {
      response = (ObjectNode) Json.tree(policy.controller().orElseThrow().admit(review).response());
      vanilla = response.deepCopy();
    } catch (ModuleException e) {
      failed = true;
      vanilla = null;
      if (!policy.allowedToMutate()
          && e.reason() == FailureReason.BAD_OUTPUT
          && e.detail() != null
          && e.detail().startsWith(VALIDATING_PATCH)) {
        response =
            rejection(
                uid,
                "Request rejected by policy "
                    + policy.id()
                    + ". The policy attempted to mutate the request, but it is currently configured"
                    + " to not allow mutations.",
                null);
        vanilla = JsonNodeFactory.instance.objectNode().put("allowed", true).put("patch", "");
      } else {
        response =
            rejection(uid, "internal server error: " + Reviews.forClient(e.detail(), debug), 500);
      }
    }
    metrics.record(
        policy, origin, request, vanilla == null ? response : vanilla, System.nanoTime() - start);
    if (monitor) {
      // policy-server's monitor mode: the request is accepted, without patch or status; what the
      // policy decided is logged (and counted: the metrics have the policy's own answer)
      LOG.info(
          "policy evaluation (monitor mode) policy_id={} request_uid={} allowed={} message={}",
          policy.id(),
          Evaluator.clip(uid),
          response.path("allowed").asBoolean(false),
          Evaluator.clip(response.path("status").path("message").asText("")));
      response.put("allowed", true);
      response.remove("patch");
      response.remove("patchType");
      response.remove("status");
    }
    if (origin != Origin.AUDIT
        && !failed
        && policy.message().isPresent()
        && !response.path("allowed").asBoolean(false)) {
      customMessage(response, policy.message().get());
    }
    if (origin == Origin.AUDIT) {
      response.remove("patch");
      response.remove("patchType");
    }
    return answer(origin, response, request, uid);
  }

  /** The body of {@code response} as {@code origin} answers it, with what is logged of it. */
  private static Reviews.Answer answer(
      Origin origin, ObjectNode response, JsonNode request, String uid) {
    ObjectNode answer = JsonNodeFactory.instance.objectNode();
    if (origin != Origin.VALIDATE_RAW) {
      answer.put("apiVersion", AdmissionReview.V1);
      answer.put("kind", AdmissionReview.KIND);
    }
    answer.set("response", response);
    boolean allowed = response.path("allowed").asBoolean(false);
    String decision = allowed ? (response.has("patch") ? "patched" : "allowed") : "denied";
    String message = allowed ? null : response.path("status").path("message").asText(null);
    JsonNode user = request.path("userInfo").path("username");
    return new Reviews.Answer(
        Json.write(answer), decision, user.isTextual() ? user.asText() : null, uid, message);
  }

  private static ObjectNode rejection(String uid, String message, Integer code) {
    ObjectNode r = JsonNodeFactory.instance.objectNode();
    r.put("uid", uid);
    r.put("allowed", false);
    ObjectNode status = r.putObject("status");
    status.put("message", message);
    if (code != null) {
      status.put("code", code);
    }
    return r;
  }

  /** policy-server's custom rejection message: the policy's message becomes the cause. */
  private static void customMessage(ObjectNode response, String message) {
    ObjectNode status =
        response.path("status").isObject()
            ? (ObjectNode) response.get("status")
            : response.putObject("status");
    JsonNode original = status.get("message");
    status.put("message", message);
    if (original != null && original.isTextual()) {
      ObjectNode details =
          status.path("details").isObject()
              ? (ObjectNode) status.get("details")
              : status.putObject("details");
      details.withArray("causes").insertObject(0).put("message", original.asText());
    }
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return Evaluator.clip(nl < 0 ? m : m.substring(0, nl));
  }
}
