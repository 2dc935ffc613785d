package dev.k8swasm.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OciReferenceTest {
  static final String DIGEST = "sha256:" + "a".repeat(64);

  @Test
  void partsOfAFullReference() {
    OciReference r =
        OciReference.parse("registry://127.0.0.1:5000/policies/pod-privileged:v0.3.2@" + DIGEST);
    assertThat(r.registry()).isEqualTo("127.0.0.1:5000");
    assertThat(r.repository()).isEqualTo("policies/pod-privileged");
    assertThat(r.tag()).contains("v0.3.2");
    assertThat(r.digest()).contains(DIGEST);
    assertThat(r.manifestReference()).isEqualTo(DIGEST);
    assertThat(r.toString())
        .isEqualTo("registry://127.0.0.1:5000/policies/pod-privileged:v0.3.2@" + DIGEST);
    assertThat(r.repositoryName()).isEqualTo("127.0.0.1:5000/policies/pod-privileged");
  }

  @Test
  void theTagDefaultsToLatestUnlessADigestIsGiven() {
    assertThat(OciReference.parse("registry://ghcr.io/kubewarden/policies/x").tag())
        .contains("latest");
    OciReference pinned = OciReference.parse("registry://ghcr.io/x@" + DIGEST);
    assertThat(pinned.tag()).isEmpty();
    assertThat(pinned.manifestReference()).isEqualTo(DIGEST);
  }

  @Test
  void malformedReferencesSayWhichPart() {
    assertThatThrownBy(() -> OciReference.parse("registry://host-only"))
        .hasMessageContaining("expected registry://HOST[:PORT]/REPOSITORY");
    assertThatThrownBy(() -> OciReference.parse("registry://h/Upper/Case:v1"))
        .hasMessageContaining("malformed repository 'Upper/Case'");
    assertThatThrownBy(() -> OciReference.parse("registry://h/x:bad tag"))
        .hasMessageContaining("malformed tag 'bad tag'");
    assertThatThrownBy(() -> OciReference.parse("registry://h/x@sha256:zz"))
        .hasMessageContaining("malformed digest 'sha256:zz'");
    assertThatThrownBy(() -> OciReference.parse("registry://bad_host!/x"))
        .hasMessageContaining("malformed registry host 'bad_host!'");
    assertThatThrownBy(() -> OciReference.parse("registry://h/../etc/passwd"))
        .hasMessageContaining("malformed repository");
  }
}
