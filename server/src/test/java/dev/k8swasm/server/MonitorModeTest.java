package dev.k8swasm.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k8swasm.admission.AdmissionController;
import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.admission.Status;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** policy-server's monitor mode in our own chains: every answer becomes an acceptance. */
class MonitorModeTest {

  @Test
  void aRejectionWithAPatchBecomesAnAcceptanceKeepingWarnings() {
    AdmissionController policy =
        review ->
            review.withResponse(
                new AdmissionResponse(
                    review.request().uid(),
                    false,
                    Status.of(403, "no"),
                    "W10=",
                    "JSONPatch",
                    null,
                    List.of("careful"),
                    null));
    AdmissionResponse r =
        new MonitorMode("watch", policy).admit(PolicyGroupTest.review()).response();
    assertThat(r.allowed()).isTrue();
    assertThat(r.uid()).isEqualTo("uid-1");
    assertThat(r.status()).isNull();
    assertThat(r.patch()).isNull();
    assertThat(r.patchType()).isNull();
    assertThat(r.warnings()).containsExactly("careful");
  }

  @Test
  void aFailureBecomesAnAcceptance() {
    AdmissionController policy =
        review -> {
          throw new ModuleException("watch", FailureReason.TRAP, "unreachable");
        };
    AdmissionReview answered = new MonitorMode("watch", policy).admit(PolicyGroupTest.review());
    assertThat(answered.response().allowed()).isTrue();
    assertThat(answered.response().uid()).isEqualTo("uid-1");
  }
}
