package dev.k8swasm.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.internal.Closeables;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.ModuleException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs admission hooks the way kube-apiserver runs admission webhooks: the mutating hooks whose
 * rules and selectors match, in order, each seeing the object as changed by the ones before (and,
 * with {@link ReinvocationPolicy#IF_NEEDED}, once more when a later hook changed it); then the
 * matching validating hooks on the final object. The first denial wins. The response carries one
 * RFC 6902 JSONPatch from the original to the final object, the warnings of every hook in order and
 * their audit annotations with keys prefixed by the hook name and a dot ({@code name.key}:
 * kube-apiserver adds {@code webhook/} in front of each key and rejects a second slash).
 *
 * <p>A hook that fails is handled by its {@link FailurePolicy}: {@code Fail} denies with code 500
 * and a message naming the hook; {@code Ignore} skips it with a warning. {@link #admit} never
 * throws for module failures.
 *
 * <p>Immutable and thread-safe: build it once and share it between request threads. Closing it
 * closes the controllers that are {@link AutoCloseable}; a closed chain throws {@link
 * IllegalStateException} rather than answer (a hook's {@code Ignore} policy must not turn a use
 * after close into "allowed").
 */
public final class AdmissionChain implements AdmissionController, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdmissionChain.class);

  private final List<AdmissionHook> mutators;
  private final List<AdmissionHook> validators;
  private final NamespaceLabels namespaceLabels;
  private final Supplier<String> uids;
  private volatile boolean closed;

  private AdmissionChain(Builder b) {
    List<AdmissionHook> m = new ArrayList<>();
    List<AdmissionHook> v = new ArrayList<>();
    for (AdmissionHook hook : b.hooks) {
      (hook.mutating() ? m : v).add(hook);
    }
    this.mutators = List.copyOf(m);
    this.validators = List.copyOf(v);
    this.namespaceLabels = b.namespaceLabels;
    this.uids = b.uids;
  }

  /** A chain of {@code hooks}, in order (no namespace labels, random request uids). */
  public static AdmissionChain of(List<AdmissionHook> hooks) {
    Builder b = builder();
    hooks.forEach(b::add);
    return b.build();
  }

  /** A builder for a chain (hooks, namespace labels, request uids). */
  public static Builder builder() {
    return new Builder();
  }

  /** The mutating hooks, in order. */
  public List<AdmissionHook> mutators() {
    return mutators;
  }

  /** The validating hooks, in order. */
  public List<AdmissionHook> validators() {
    return validators;
  }

  @Override
  public boolean mutating() {
    return !mutators.isEmpty();
  }

  /**
   * Admits {@code review.request()} through the chain. The returned review keeps the request and
   * carries the response; a webhook answers kube-apiserver with {@link
   * AdmissionReview#toWebhookResponse()}. A request without a uid is given a random one.
   *
   * @return the review with its response; module failures are decided by each hook's {@link
   *     FailurePolicy}, never thrown
   * @throws IllegalArgumentException when the review has no request (a webhook answers 400)
   * @throws IllegalStateException when the chain is closed
   */
  @Override
  public AdmissionReview admit(AdmissionReview review) {
    Objects.requireNonNull(review, "review");
    if (closed) {
      throw new IllegalStateException("the admission chain is closed; build a new one");
    }
    AdmissionRequest request = review.request();
    if (request == null) {
      throw new IllegalArgumentException("the AdmissionReview has no request");
    }
    if (request.uid() == null || request.uid().isEmpty()) {
      request = request.withUid(uids.get());
    }
    Run run = new Run(request);
    AdmissionResponse response =
        RuleMatcher.isExempt(request) ? AdmissionResponse.allow(request.uid()) : run.execute();
    return new AdmissionReview(
        review.apiVersion() == null ? AdmissionReview.V1 : review.apiVersion(),
        review.kind() == null ? AdmissionReview.KIND : review.kind(),
        review.request(),
        response,
        review.additionalProperties());
  }

  /**
   * Closes the controllers that are {@link AutoCloseable} (their modules). Admissions already
   * running finish; later calls of {@link #admit} throw {@link IllegalStateException}. Closing
   * twice does nothing more.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<Object> all = new ArrayList<>();
    mutators.forEach(h -> all.add(h.controller()));
    validators.forEach(h -> all.add(h.controller()));
    Closeables.closeAll(all);
  }

  /** The state of one admission: the object as it evolves, warnings and annotations so far. */
  private final class Run {
    private final AdmissionRequest request;
    private JsonNode current;
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, String> annotations = new LinkedHashMap<>();

    Run(AdmissionRequest request) {
      this.request = request;
      this.current = request.object();
    }

    AdmissionResponse execute() {
      Map<AdmissionHook, Integer> ranAt = new IdentityHashMap<>();
      int lastChange = -1;
      for (int i = 0; i < mutators.size(); i++) {
        AdmissionHook hook = mutators.get(i);
        Step step = call(hook);
        if (step == Step.DENIED) {
          return denial;
        }
        if (step != Step.SKIPPED) {
          ranAt.put(hook, i);
        }
        if (step == Step.CHANGED) {
          lastChange = i;
        }
      }
      for (AdmissionHook hook : mutators) {
        Integer at = ranAt.get(hook);
        if (hook.reinvocationPolicy() == ReinvocationPolicy.IF_NEEDED
            && at != null
            && at < lastChange) {
          if (call(hook) == Step.DENIED) {
            return denial;
          }
        }
      }
      for (AdmissionHook hook : validators) {
        if (call(hook) == Step.DENIED) {
          return denial;
        }
      }
      AdmissionResponse allowed =
          new AdmissionResponse(
              request.uid(),
              true,
              null,
              null,
              null,
              annotations.isEmpty() ? null : annotations,
              warnings.isEmpty() ? null : warnings,
              null);
      JsonNode original = request.object();
      if (original != null && !original.isNull() && !original.equals(current)) {
        var patch = JsonPatches.diff(original, current);
        if (!patch.isEmpty()) {
          allowed = allowed.withPatch(Json.write(patch), AdmissionResponse.JSON_PATCH);
        }
      }
      return allowed;
    }

    private AdmissionResponse denial;

    private Step call(AdmissionHook hook) {
      Optional<String> selectorProblem = Optional.empty();
      try {
        if (!RuleMatcher.matchesAny(hook.rules(), request)
            || !objectSelected(hook)
            || !namespaceSelected(hook)) {
          return Step.SKIPPED;
        }
      } catch (IllegalStateException e) {
        selectorProblem = Optional.of(e.getMessage());
      } catch (RuntimeException e) {
        selectorProblem = Optional.of("looking up the labels of its namespace failed: " + e);
      }
      if (selectorProblem.isPresent()) {
        return failed(hook, selectorProblem.get());
      }
      AdmissionReview sent = AdmissionReview.of(request.withObject(current));
      AdmissionResponse response;
      try {
        AdmissionReview answer = hook.controller().admit(sent);
        response = answer == null ? null : answer.response();
        if (response == null) {
          return failed(hook, "it returned no response");
        }
      } catch (PatchException e) {
        return failedRegardlessOfPolicy(hook, e.detail() + " [" + e.reason() + "]");
      } catch (ModuleException e) {
        return failed(hook, e.detail() + " [" + e.reason() + "]");
      } catch (RuntimeException e) {
        LOG.warn("admission controller {} failed", hook.name(), e);
        return failed(hook, e.toString());
      }
      if (response.warnings() != null) {
        warnings.addAll(response.warnings());
      }
      if (response.auditAnnotations() != null) {
        response.auditAnnotations().forEach((k, v) -> annotations.put(hook.name() + "." + k, v));
      }
      if (!response.allowedOrFalse()) {
        denial = deny(hook, response.status());
        return Step.DENIED;
      }
      byte[] patch = response.patchBytes();
      if (patch == null) {
        return Step.UNCHANGED;
      }
      if (!hook.mutating()) {
        return failed(
            hook,
            "a validating controller may not return a patch; if it is meant to mutate, declare its"
                + " hook mutating (mutating: true in the configuration, AdmissionHook.builder(..)"
                + ".mutating(true) in code)");
      }
      if (current == null || current.isNull()) {
        return failed(hook, "it tried to mutate an object that does not exist");
      }
      JsonNode next;
      try {
        next = JsonPatches.apply(Json.reader().readTree(patch), current);
      } catch (java.io.IOException | IllegalArgumentException e) {
        // As in kube-apiserver, a patch that cannot be applied is an internal error whatever the
        // failure policy: skipping it would silently admit an object the module meant to change.
        return failedRegardlessOfPolicy(hook, "its patch does not apply: " + e.getMessage());
      }
      if (next.equals(current)) {
        return Step.UNCHANGED;
      }
      current = next;
      return Step.CHANGED;
    }

    private boolean objectSelected(AdmissionHook hook) {
      LabelSelector selector = hook.objectSelector();
      if (isEmpty(selector)) {
        return true;
      }
      return matchesLabels(selector, current) || matchesLabels(selector, request.oldObject());
    }

    private boolean namespaceSelected(AdmissionHook hook) {
      LabelSelector selector = hook.namespaceSelector();
      if (isEmpty(selector)) {
        return true;
      }
      GroupVersionResource gvr = request.resource();
      boolean namespaceObject =
          gvr != null
              && "namespaces".equals(gvr.resource())
              && (gvr.group() == null || gvr.group().isEmpty());
      if (namespaceObject) {
        JsonNode ns = current != null && !current.isNull() ? current : request.oldObject();
        return selector.matches(labelsOf(ns));
      }
      String namespace = request.namespace();
      if (namespace == null || namespace.isEmpty()) {
        return true;
      }
      if (namespaceLabels == null) {
        throw new IllegalStateException(
            "its namespaceSelector needs namespace labels, but no NamespaceLabels lookup is"
                + " configured on the AdmissionChain");
      }
      Map<String, String> labels =
          namespaceLabels
              .labels(namespace)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "namespace '" + namespace + "' not found for its namespaceSelector"));
      return selector.matches(labels);
    }

    private Step failed(AdmissionHook hook, String detail) {
      return hook.failurePolicy() == FailurePolicy.IGNORE
          ? ignored(hook, detail)
          : failedRegardlessOfPolicy(hook, detail);
    }

    private Step ignored(AdmissionHook hook, String detail) {
      LOG.warn("admission module {} failed and is ignored: {}", hook.name(), detail);
      warnings.add(
          "module \""
              + hook.name()
              + "\" failed and was ignored (failurePolicy Ignore): "
              + detail);
      return Step.SKIPPED;
    }

    private Step failedRegardlessOfPolicy(AdmissionHook hook, String detail) {
      denial =
          new AdmissionResponse(
              request.uid(),
              false,
              Status.failure(
                  500, "InternalError", "failed calling module \"" + hook.name() + "\": " + detail),
              null,
              null,
              annotations.isEmpty() ? null : annotations,
              warnings.isEmpty() ? null : warnings,
              null);
      return Step.DENIED;
    }

    private AdmissionResponse deny(AdmissionHook hook, Status status) {
      String deniedBy = "module \"" + hook.name() + "\" denied the request";
      String message;
      String reason = null;
      Integer code = null;
      JsonNode details = null;
      if (status != null && status.message() != null && !status.message().isEmpty()) {
        message = deniedBy + ": " + status.message();
      } else if (status != null && status.reason() != null && !status.reason().isEmpty()) {
        message = deniedBy + ": " + status.reason();
      } else {
        message = deniedBy + " without explanation";
      }
      if (status != null) {
        reason = status.reason();
        code = status.code();
        details = status.details();
      }
      if (code == null || code < 400) {
        code = 400;
      }
      return new AdmissionResponse(
          request.uid(),
          false,
          Status.failure(code, reason, message).withDetails(details),
          null,
          null,
          annotations.isEmpty() ? null : annotations,
          warnings.isEmpty() ? null : warnings,
          null);
    }
  }

  private enum Step {
    SKIPPED,
    UNCHANGED,
    CHANGED,
    DENIED
  }

  private static boolean isEmpty(LabelSelector s) {
    return (s.matchLabels() == null || s.matchLabels().isEmpty())
        && (s.matchExpressions() == null || s.matchExpressions().isEmpty());
  }

  private static boolean matchesLabels(LabelSelector selector, JsonNode object) {
    if (object == null || object.isNull() || !object.isObject()) {
      return false;
    }
    return selector.matches(labelsOf(object));
  }

  private static Map<String, String> labelsOf(JsonNode object) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (object == null) {
      return labels;
    }
    JsonNode node = object.path("metadata").path("labels");
    node.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  /** Builds {@link AdmissionChain}s. */
  public static final class Builder {
    private final List<AdmissionHook> hooks = new ArrayList<>();
    private NamespaceLabels namespaceLabels;
    private Supplier<String> uids = () -> UUID.randomUUID().toString();

    private Builder() {}

    /** Appends a hook; order matters within each phase. */
    public Builder add(AdmissionHook hook) {
      hooks.add(Objects.requireNonNull(hook, "hook"));
      return this;
    }

    /** Where namespace labels come from, for namespaceSelectors. */
    public Builder namespaceLabels(NamespaceLabels namespaceLabels) {
      this.namespaceLabels = Objects.requireNonNull(namespaceLabels, "namespaceLabels");
      return this;
    }

    /** Generates request uids for requests that have none (default: random UUIDs). */
    public Builder uids(Supplier<String> uids) {
      this.uids = Objects.requireNonNull(uids, "uids");
      return this;
    }

    public AdmissionChain build() {
      return new AdmissionChain(this);
    }
  }
}
