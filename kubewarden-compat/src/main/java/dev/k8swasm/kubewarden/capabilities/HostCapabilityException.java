package dev.k8swasm.kubewarden.capabilities;

/**
 * A host capability call failed. The message is what the policy reads as the host error (through
 * {@code __host_error} in waPC mode, through stdin in WASI mode), so it must make sense to the
 * policy and never carry secrets. Throw it from {@link KubernetesContext}, {@link OciCapabilities},
 * {@link CryptoCapabilities} or {@link DnsResolver} implementations.
 */
public class HostCapabilityException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public HostCapabilityException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public HostCapabilityException(String message, Throwable cause) {
    super(message, cause);
  }
}
