package dev.k8swasm.kubewarden.wapc;

import com.dylibso.chicory.runtime.WasmRuntimeException;

/**
 * A guest passed a host function a pointer and length outside its memory. Thrown from the host
 * function, it unwinds the guest like a trap: the call fails and the instance is discarded; the
 * host is unaffected.
 */
public final class GuestMemoryException extends WasmRuntimeException {
  private static final long serialVersionUID = 1L;

  GuestMemoryException(String message) {
    super(message);
  }
}
