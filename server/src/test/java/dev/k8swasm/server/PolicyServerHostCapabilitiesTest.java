package dev.k8swasm.server;

import static dev.k8swasm.server.Fixture.module;
import static dev.k8swasm.server.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.kubewarden.capabilities.HostCapabilities;
import dev.k8swasm.kubewarden.capabilities.SessionReplay;
import dev.k8swasm.module.ModuleSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host capability grants of a policy-server policies.yml: {@code hostCapabilities} (default: all,
 * as the Kubewarden controller writes for cluster-wide policies) and {@code contextAwareResources}
 * (default: none; the metadata's list is no grant). Each policy answers its host calls from a kwctl
 * session (the embedder's HostCapabilities through the server's spec customizer).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyServerHostCapabilitiesTest {
  static final Path REQUESTS = Fixture.examples().resolve("requests/kubewarden");
  Fixture.Running s;

  /** A fresh replay of the session that fits the policy (by its id). */
  static ModuleSpec.Builder replay(ModuleSpec.Builder b) {
    String name = b.build().name();
    Path session =
        name.startsWith("digest")
            ? REQUESTS.resolve("session-manifest-digest.yml")
            : REQUESTS.resolve("kwctl/context-aware-unique-ingress-duplicate.yml");
    return b.extension(
        HostCapabilities.class,
        HostCapabilities.builder().replay(SessionReplay.fromFile(session)).build());
  }

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Path digest = module("kubewarden/image_digest.wasm");
    Path ingress = module("kubewarden/unique_ingress.wasm");
    Path policies =
        Fixture.write(
            dir.resolve("policies.yml"),
            "digest:\n"
                + "  module: "
                + digest
                + "\n"
                + "digest-net-only:\n"
                + "  module: "
                + digest
                + "\n"
                + "  hostCapabilities: [\"net/*\"]\n"
                + "ingress:\n"
                + "  module: "
                + ingress
                + "\n"
                + "  contextAwareResources:\n"
                + "  - {apiVersion: networking.k8s.io/v1, kind: Ingress}\n"
                + "ingress-not-granted:\n"
                + "  module: "
                + ingress
                + "\n");
    Fixture.Flags flags = new Fixture.Flags();
    flags.specCustomizer = PolicyServerHostCapabilitiesTest::replay;
    s = Fixture.start(policies, flags);
  }

  @AfterAll
  void stop() {
    s.close();
  }

  /** Must hold: no hostCapabilities anywhere, oci/v1/manifest_digest answered as kwctl does. */
  @Test
  void withoutHostCapabilitiesEveryCapabilityIsGranted() {
    JsonNode r =
        s.review("/validate/digest", request("kubewarden/pod-create.json")).path("response");
    assertThat(r.path("allowed").asBoolean()).as(r.toString()).isTrue();
    assertThat(r.path("warnings").get(0).asText())
        .isEqualTo(
            "digest:nginx:1.27=sha256:5ea2b0f8c4e3bd1e4c5a6e1f3c2d7b9a0e8f6d4c2b1a09f8e7d6c5b4a3928170");
  }

  @Test
  void hostCapabilitiesNarrowTheGrant() {
    JsonNode r =
        s.review("/validate/digest-net-only", request("kubewarden/pod-create.json"))
            .path("response");
    assertThat(r.path("allowed").asBoolean()).isFalse();
    assertThat(r.path("status").path("message").asText())
        .isEqualTo(
            "cannot resolve nginx:1.27: Policy has not been granted access to the"
                + " 'oci/v1/manifest_digest' host capability. The violation has been reported.");
  }

  @Test
  void kubernetesResourcesOnlyFromContextAwareResources() throws Exception {
    String body =
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":"
            + java.nio.file.Files.readString(REQUESTS.resolve("kwctl/ingress.json"))
            + "}";
    JsonNode granted = s.review("/validate/ingress", body).path("response");
    assertThat(granted.path("allowed").asBoolean()).isFalse();
    assertThat(granted.path("status").path("message").asText())
        .isEqualTo("host foo.bar.com is already used by Ingress default/test");
    // the policy's metadata lists Ingress, but policies.yml does not: no access
    JsonNode refused = s.review("/validate/ingress-not-granted", body).path("response");
    assertThat(refused.path("allowed").asBoolean()).isFalse();
    assertThat(refused.path("status").path("message").asText())
        .isEqualTo(
            "cannot check that the hosts are unique: Policy has not been granted access to"
                + " Kubernetes networking.k8s.io/v1/Ingress resources. The violation has been"
                + " reported.");
  }

  @Test
  void badHostCapabilitiesAreRefusedAtStart(@TempDir Path other) throws Exception {
    Path digest = module("kubewarden/image_digest.wasm");
    Path notAList =
        Fixture.write(
            other.resolve("a.yml"), "p:\n  module: " + digest + "\n  hostCapabilities: oci/*\n");
    assertThatThrownBy(() -> Fixture.start(notAList, new Fixture.Flags()))
        .isInstanceOf(dev.k8swasm.config.ConfigException.class)
        .hasMessageContaining("policy 'p': field 'hostCapabilities': expected a list of patterns");
    Path badPattern =
        Fixture.write(
            other.resolve("b.yml"), "p:\n  module: " + digest + "\n  hostCapabilities: [oci/v1]\n");
    assertThatThrownBy(() -> Fixture.start(badPattern, new Fixture.Flags()))
        .hasMessageContaining(
            "invalid host capability pattern 'oci/v1': not a complete capability path; use"
                + " 'oci/v1/*'");
  }
}
