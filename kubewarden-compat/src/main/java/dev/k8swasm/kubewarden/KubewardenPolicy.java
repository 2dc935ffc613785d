package dev.k8swasm.kubewarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.admission.AdmissionRequest;
import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.json.Json;
import dev.k8swasm.json.Redaction;
import dev.k8swasm.kubewarden.capabilities.CapabilityDispatcher;
import dev.k8swasm.kubewarden.metadata.ExecutionMode;
import dev.k8swasm.kubewarden.metadata.PolicyMetadata;
import dev.k8swasm.kubewarden.metadata.PolicyType;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleMetadata;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kubewarden policy loaded unchanged: waPC ({@code kubewarden-wapc}) or WASI execution mode, with
 * its metadata, settings (validated at load by the policy's own {@code validate_settings}) and host
 * capabilities. Thread-safe.
 *
 * <p>Two ways to ask it:
 *
 * <ul>
 *   <li>As a {@link PolicyModule} ({@link #evaluate}, what {@code ModuleAdmissionController} and
 *       admission chains use): the answer is the AdmissionReview with its response; a failure of
 *       the policy (guest error, trap, timeout, unreadable answer) is thrown as a {@link
 *       ModuleException}, so that the chain's {@code failurePolicy} decides (Fail: denied with code
 *       500; Ignore: skipped).
 *   <li>As kwctl / policy-server do ({@link #validate(AdmissionRequest)}): a failure of the policy
 *       is an answer, {@code allowed: false}, code 500, message {@code internal server error: ...}.
 * </ul>
 *
 * <p>In {@linkplain PolicyMode#MONITOR monitor mode} every answer, failures included, becomes an
 * allowance without patch or status (warnings and audit annotations kept), and what the policy
 * would have decided is logged.
 */
public final class KubewardenPolicy implements PolicyModule {
  private static final Logger LOG = LoggerFactory.getLogger(KubewardenPolicy.class);

  private final String name;
  private final Optional<PolicyMetadata> metadata;
  private final ExecutionMode executionMode;
  private final PolicyMode policyMode;
  private final PolicyType policyType;
  private final JsonNode settings;
  private final CapabilityDispatcher dispatcher;
  private final Transport transport;
  private final Logger debugLog;
  private final boolean debug;
  private volatile boolean closed;

  KubewardenPolicy(
      String name,
      Optional<PolicyMetadata> metadata,
      PolicyMode policyMode,
      PolicyType policyType,
      JsonNode settings,
      CapabilityDispatcher dispatcher,
      Transport transport,
      boolean debug) {
    this.name = name;
    this.debug = debug;
    this.metadata = metadata;
    this.executionMode = transport.mode();
    this.policyMode = policyMode;
    this.policyType = policyType;
    this.settings = settings;
    this.dispatcher = dispatcher;
    this.transport = transport;
    this.debugLog = LoggerFactory.getLogger("dev.k8swasm.kubewarden.module." + name);
  }

  /**
   * Loads the policy {@code spec} describes: reads its metadata, detects its execution mode
   * (metadata, else exports; the {@code executionMode} option overrides both), prepares it in the
   * sandbox and validates its settings.
   *
   * @throws ModuleException {@link FailureReason#LOAD_FAILED} when the module cannot be read or run
   *     (OPA and Gatekeeper policies need an {@link ExecutionModeProvider}: add k8s-wasm-rego),
   *     {@link FailureReason#INVALID_SETTINGS} with the policy's own message when it rejects its
   *     settings
   */
  public static KubewardenPolicy load(ModuleSpec spec) {
    return KubewardenLoader.load(spec);
  }

  // ------------------------------------------------------------------ PolicyModule

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<ReviewKind> kinds() {
    return Set.of(ReviewKind.ADMISSION);
  }

  /** The policy's rules and {@code mutating} from its metadata, with the whole document. */
  @Override
  public ModuleMetadata metadata() {
    return metadata.map(PolicyMetadata::toModuleMetadata).orElse(ModuleMetadata.NONE);
  }

  /**
   * Evaluates an AdmissionReview. A failure of the policy is thrown (see the class comment), except
   * in monitor mode.
   *
   * @return the AdmissionReview ({@code admission.k8s.io/v1}) carrying the response
   * @throws ModuleException BAD_REQUEST for a request that is not an AdmissionReview with a
   *     request; UNSUPPORTED for other kinds of review; the policy's failures
   */
  @Override
  public JsonNode evaluate(ReviewKind kind, byte[] request) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(request, "request");
    if (kind != ReviewKind.ADMISSION) {
      throw new ModuleException(
          name,
          FailureReason.UNSUPPORTED,
          "a Kubewarden policy evaluates AdmissionReviews only, not " + kind.wireKind() + "s");
    }
    JsonNode review;
    try {
      review = Json.reader().readTree(request);
    } catch (IOException e) {
      throw new ModuleException(
          name, FailureReason.BAD_REQUEST, "the request is not JSON: " + e.getMessage(), e);
    }
    JsonNode inner = review == null ? null : review.get("request");
    if (inner == null || !inner.isObject()) {
      throw new ModuleException(
          name, FailureReason.BAD_REQUEST, "the AdmissionReview has no request object");
    }
    String uid = inner.path("uid").asText("");
    AdmissionResponse response;
    try {
      response = answer(inner, uid);
      if (policyType == PolicyType.RAW && AdmissionResponses.hasPatch(response)) {
        throw new ModuleException(
            name,
            FailureReason.BAD_OUTPUT,
            "a raw policy's mutation cannot be applied to an admission request (use"
                + " KubewardenPolicy.validateRaw)");
      }
    } catch (ModuleException e) {
      if (policyMode != PolicyMode.MONITOR) {
        throw e;
      }
      response = AdmissionResponses.internalServerError(uid, e.detail());
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("apiVersion", AdmissionReview.V1);
    out.put("kind", AdmissionReview.KIND);
    out.set("response", Json.toTree(monitored(response)));
    return out;
  }

  @Override
  public void close() {
    closed = true;
    transport.close();
  }

  // --------------------------------------------------------- kwctl-style operations

  /**
   * Validates {@code request} as {@code kwctl run} does: the policy's failures are answers ({@code
   * allowed: false}, code 500, {@code internal server error: ...}); a mutation comes as a base64
   * JSONPatch against {@code request.object}. Monitor mode applies.
   *
   * @throws ModuleException only when the policy is closed
   */
  public AdmissionResponse validate(AdmissionRequest request) {
    Objects.requireNonNull(request, "request");
    return validate(Json.toTree(request), e -> {});
  }

  /**
   * Validates {@code request} as policy-server does: as {@link #validate(AdmissionRequest)}, and
   * when {@code allowedToMutate} is false a response carrying a patch becomes a rejection ("The
   * policy attempted to mutate the request, but it is currently configured to not allow
   * mutations.").
   */
  public AdmissionResponse validate(AdmissionRequest request, boolean allowedToMutate) {
    return validate(request, allowedToMutate, e -> {});
  }

  /**
   * As {@link #validate(AdmissionRequest, boolean)}, telling {@code failures} about a failure of
   * the policy that the answer reports as an internal server error (e.g. for a CLI's exit code).
   */
  public AdmissionResponse validate(
      AdmissionRequest request, boolean allowedToMutate, Consumer<ModuleException> failures) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(failures, "failures");
    AdmissionResponse response = validate(Json.toTree(request), failures);
    if (!allowedToMutate && AdmissionResponses.hasPatch(response)) {
      return AdmissionResponses.notAllowedToMutate(name, response);
    }
    return response;
  }

  /**
   * Validates a raw request (policies of type {@code raw}): {@code document} is sent as {@code
   * request}, and a mutation is a patch against {@code document}. Failures are answers, as in
   * {@link #validate(AdmissionRequest)}.
   */
  public AdmissionResponse validateRaw(JsonNode document) {
    Objects.requireNonNull(document, "document");
    return validate(document, e -> {});
  }

  private AdmissionResponse validate(JsonNode request, Consumer<ModuleException> failures) {
    checkOpen();
    String uid = request.path("uid").asText("");
    AdmissionResponse response;
    try {
      response = answer(request, uid);
    } catch (ModuleException e) {
      if (e.reason() == FailureReason.CLOSED) {
        throw e;
      }
      LOG.debug("policy '{}' failed: {}", name, e.getMessage());
      failures.accept(e);
      response = AdmissionResponses.internalServerError(uid, e.detail());
    }
    return monitored(response);
  }

  /**
   * Asks the policy whether {@code settings} are valid ({@code null} is sent as {@code {}}).
   *
   * @throws ModuleException when the policy fails
   */
  public SettingsValidation validateSettings(JsonNode settings) {
    checkOpen();
    return checkSettings(
        settings == null || settings.isNull() ? JsonNodeFactory.instance.objectNode() : settings);
  }

  /**
   * The policy's {@code protocol_version} (waPC only), e.g. {@code v1}.
   *
   * @throws ModuleException when the policy fails or is in WASI mode (UNSUPPORTED)
   */
  public String protocolVersion() {
    checkOpen();
    byte[] answer = transport.call(Transport.PROTOCOL_VERSION, new byte[0]);
    try {
      JsonNode node = Json.reader().readTree(answer);
      if (node != null && node.isTextual()) {
        return node.asText();
      }
    } catch (IOException e) {
      // reported below
    }
    throw new ModuleException(
        name,
        FailureReason.BAD_OUTPUT,
        "protocol_version answered "
            + Json.writeString(new String(answer, StandardCharsets.UTF_8))
            + ", not a JSON string");
  }

  // --------------------------------------------------------------------- accessors

  /** The policy's metadata, if it has any. */
  public Optional<PolicyMetadata> policyMetadata() {
    return metadata;
  }

  /** How the policy runs. */
  public ExecutionMode executionMode() {
    return executionMode;
  }

  /** Protect or monitor. */
  public PolicyMode policyMode() {
    return policyMode;
  }

  /** Kubernetes or raw. */
  public PolicyType policyType() {
    return policyType;
  }

  /** Whether the policy's metadata declares it mutating (false without metadata). */
  public boolean declaredMutating() {
    return metadata.map(PolicyMetadata::mutating).orElse(false);
  }

  /** The settings sent with every {@code validate} ({@code {}} when none were configured). */
  public JsonNode settings() {
    return settings.deepCopy();
  }

  /** The host capabilities and Kubernetes resources this policy has been granted. */
  public CapabilityDispatcher capabilities() {
    return dispatcher;
  }

  @Override
  public String toString() {
    return "KubewardenPolicy[" + name + ", " + executionMode.wireName() + "]";
  }

  // ---------------------------------------------------------------------- internals

  /** Calls {@code operation} with {@code payload} as is (tests compare raw answers). */
  byte[] call(String operation, byte[] payload) {
    checkOpen();
    return transport.call(operation, payload);
  }

  /** Asks the policy to validate {@code settings} (the loader does, before the policy is used). */
  SettingsValidation checkSettings(JsonNode settings) {
    byte[] answer = transport.call(Transport.VALIDATE_SETTINGS, Json.write(settings));
    try {
      return SettingsValidation.parse(answer);
    } catch (IllegalArgumentException e) {
      return SettingsValidation.invalid(
          "Cannot deserialize settings validation response: " + e.getMessage());
    }
  }

  /** Calls validate and converts the answer; failures are thrown. */
  private AdmissionResponse answer(JsonNode request, String uid) {
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.set("request", request);
    payload.set("settings", settings);
    byte[] sent = Json.write(payload);
    if (debug) {
      debugLog.debug("validate payload: {}", Redaction.redact(sent));
    }
    byte[] answer = transport.call(Transport.VALIDATE, sent);
    if (debug) {
      debugLog.debug("validate answer: {}", Redaction.redact(answer));
    }
    ValidationResponse response;
    try {
      response = ValidationResponse.parse(answer);
    } catch (IllegalArgumentException e) {
      throw new ModuleException(
          name,
          FailureReason.BAD_OUTPUT,
          "cannot deserialize policy validation response: " + e.getMessage(),
          e);
    }
    Optional<JsonNode> original =
        policyType == PolicyType.RAW
            ? Optional.of(request)
            : Optional.ofNullable(request.get("object"));
    return AdmissionResponses.from(uid, original, response);
  }

  private AdmissionResponse monitored(AdmissionResponse response) {
    if (policyMode != PolicyMode.MONITOR) {
      return response;
    }
    LOG.info(
        "policy '{}' evaluation (monitor mode): would answer {}", name, Json.writeString(response));
    return AdmissionResponses.monitor(response);
  }

  private void checkOpen() {
    if (closed) {
      throw new ModuleException(
          name, FailureReason.CLOSED, "the policy is closed; load it again to evaluate");
    }
  }
}
