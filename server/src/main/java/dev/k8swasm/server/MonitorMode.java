package dev.k8swasm.server;

import dev.k8swasm.admission.AdmissionController;
import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.module.ModuleException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * policy-server's monitor mode for a policy of a {@code policies.yml} in our own {@code /validate}
 * and {@code /mutate} chains: every answer, a failure included, becomes an acceptance without patch
 * or status (warnings and audit annotations kept), and what the policy decided is logged.
 */
final class MonitorMode implements AdmissionController {
  private static final Logger LOG = LoggerFactory.getLogger(MonitorMode.class);

  private final String id;
  private final AdmissionController policy;

  MonitorMode(String id, AdmissionController policy) {
    this.id = Objects.requireNonNull(id, "id");
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  @Override
  public AdmissionReview admit(AdmissionReview review) {
    String uid = review.request() == null ? "" : Objects.toString(review.request().uid(), "");
    AdmissionResponse r;
    try {
      r = policy.admit(review).response();
    } catch (ModuleException e) {
      LOG.info(
          "policy evaluation (monitor mode) policy_id={} request_uid={} allowed=false failure={}",
          id,
          Evaluator.clip(uid),
          Evaluator.clip(e.reason() + ": " + e.detail()));
      return review.withResponse(AdmissionResponse.allow(uid));
    }
    LOG.info(
        "policy evaluation (monitor mode) policy_id={} request_uid={} allowed={} message={}",
        id,
        Evaluator.clip(uid),
        Boolean.TRUE.equals(r.allowed()),
        Evaluator.clip(r.status() == null ? "" : r.status().message()));
    return review.withResponse(
        new AdmissionResponse(
            r.uid() == null ? uid : r.uid(),
            true,
            null,
            null,
            null,
            r.auditAnnotations(),
            r.warnings(),
            r.additionalProperties()));
  }

  @Override
  public boolean mutating() {
    return policy.mutating();
  }
}
