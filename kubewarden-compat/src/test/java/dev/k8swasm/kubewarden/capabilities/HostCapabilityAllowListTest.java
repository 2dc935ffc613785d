package dev.k8swasm.kubewarden.capabilities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Kubewarden's host capability pattern syntax, matching and errors. */
class HostCapabilityAllowListTest {

  @Test
  void everyPatternKubewardenAcceptsIsAccepted() {
    List<String> valid =
        List.of(
            "*",
            "oci/*",
            "oci/v1/*",
            "oci/v2/*",
            "net/*",
            "net/v1/*",
            "crypto/*",
            "crypto/v1/*",
            "kubernetes/*",
            " oci/* ");
    List<String> all = new java.util.ArrayList<>(valid);
    all.addAll(HostCapabilityAllowList.KNOWN);
    assertThat(HostCapabilityAllowList.of(all).patterns())
        .contains("oci/*")
        .doesNotContain(" oci/* ");
  }

  @Test
  void errorsSayWhatIsWrong() {
    assertThatThrownBy(() -> HostCapabilityAllowList.of(List.of("oci/v99/verify")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "invalid host capability pattern 'oci/v99/verify': unknown segment 'v99', valid"
                + " options at this level are: v1, v2");
    assertThatThrownBy(() -> HostCapabilityAllowList.of(List.of("unknown/*")))
        .hasMessage(
            "invalid host capability pattern 'unknown/*': unknown segment 'unknown', valid options"
                + " at this level are: crypto, kubernetes, net, oci");
    assertThatThrownBy(() -> HostCapabilityAllowList.of(List.of("oci/v1")))
        .hasMessage(
            "invalid host capability pattern 'oci/v1': not a complete capability path; use"
                + " 'oci/v1/*' to allow all capabilities under it");
    assertThatThrownBy(() -> HostCapabilityAllowList.of(List.of("oci/v1/oci_*")))
        .hasMessageContaining("the wildcard '*' must be the whole last segment");
    assertThatThrownBy(() -> HostCapabilityAllowList.of(List.of("kubernetes/can_i/*")))
        .hasMessageContaining("'kubernetes/can_i' is a capability, not a prefix");
    assertThatThrownBy(() -> HostCapabilityAllowList.of(List.of(" ")))
        .hasMessage("invalid host capability pattern: it must not be empty");
  }

  @Test
  void matchingAsKubewarden() {
    HostCapabilityAllowList mixed =
        HostCapabilityAllowList.of(List.of("oci/*", "kubernetes/can_i"));
    assertThat(mixed.allows("oci/v1/manifest_digest")).isTrue();
    assertThat(mixed.allows("oci/v2/verify")).isTrue();
    assertThat(mixed.allows("kubernetes/can_i")).isTrue();
    assertThat(mixed.allows("kubernetes/get_resource")).isFalse();
    assertThat(mixed.allows("net/v1/dns_lookup_host")).isFalse();
    HostCapabilityAllowList v2 = HostCapabilityAllowList.of(List.of("oci/v2/*"));
    assertThat(v2.allows("oci/v2/verify")).isTrue();
    assertThat(v2.allows("oci/v1/verify")).isFalse();
    assertThat(HostCapabilityAllowList.of(List.of()).allows("oci/v1/verify")).isFalse();
  }

  @Provide
  Arbitrary<String> known() {
    return Arbitraries.of(HostCapabilityAllowList.KNOWN);
  }

  @Property
  void anExactPatternAllowsOnlyItselfAndItsPrefixesAllowIt(
      @ForAll("known") String granted, @ForAll("known") String called) {
    assertThat(HostCapabilityAllowList.of(List.of(granted)).allows(called))
        .isEqualTo(granted.equals(called));
    assertThat(HostCapabilityAllowList.allowAll().allows(called)).isTrue();
    assertThat(HostCapabilityAllowList.denyAll().allows(called)).isFalse();
    String[] segments = granted.split("/");
    String prefix = "";
    for (int i = 0; i < segments.length - 1; i++) {
      prefix += segments[i] + "/";
      assertThat(HostCapabilityAllowList.of(List.of(prefix + "*")).allows(called))
          .as(prefix + "* / " + called)
          .isEqualTo(called.startsWith(prefix));
    }
  }
}
