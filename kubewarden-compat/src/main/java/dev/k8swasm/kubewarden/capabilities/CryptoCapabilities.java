package dev.k8swasm.kubewarden.capabilities;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Serves the {@code crypto} host capabilities; supplied by the embedder. Throw {@link
 * HostCapabilityException} for failures the policy should see. Thread-safe.
 */
public interface CryptoCapabilities {

  /**
   * {@code crypto/v1/is_certificate_trusted}: the request is {@code {cert: {encoding, data},
   * cert_chain?, not_after?}}; answers {@code {trusted, reason}}.
   */
  JsonNode isCertificateTrusted(JsonNode request);
}
