package dev.k8swasm.kubewarden.capabilities;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Serves the {@code oci} host capabilities (registry lookups and sigstore verification); supplied
 * by the embedder. Every method not overridden fails with "capability not available". Throw {@link
 * HostCapabilityException} for failures the policy should see. Thread-safe.
 */
public interface OciCapabilities {

  /**
   * {@code oci/v1/manifest_digest}: the digest of {@code image}'s manifest, e.g. {@code
   * sha256:...}; the policy receives {@code {"digest": ...}}.
   */
  default String manifestDigest(String image) {
    throw HostCapabilities.notAvailable("oci/v1/manifest_digest");
  }

  /** {@code oci/v1/oci_manifest}: the OCI manifest or image index of {@code image}. */
  default JsonNode manifest(String image) {
    throw HostCapabilities.notAvailable("oci/v1/oci_manifest");
  }

  /** {@code oci/v1/oci_manifest_config}: {@code {manifest, digest, config}} of {@code image}. */
  default JsonNode manifestAndConfig(String image) {
    throw HostCapabilities.notAvailable("oci/v1/oci_manifest_config");
  }

  /**
   * {@code oci/v1/verify} ({@code version} 1) and {@code oci/v2/verify} ({@code version} 2):
   * sigstore verification of the request the policy sent; answers {@code {is_trusted, digest}}, or
   * throws when verification fails.
   */
  default JsonNode verify(int version, JsonNode request) {
    throw HostCapabilities.notAvailable("oci/v" + version + "/verify");
  }
}
