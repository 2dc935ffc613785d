package dev.k8swasm.wasi.sandbox;

import com.dylibso.chicory.runtime.HostFunction;
import java.util.List;

/**
 * The host functions of ONE instance, beyond WASI preview 1, together with the per-instance state
 * they keep (for waPC: the pending request, the guest's response and error, the host response).
 *
 * <p>A {@link SandboxedModule} asks its factory ({@link SandboxedModule.Builder#hostImports}) for a
 * new {@code HostImports} for every instance it creates, so implementations need no
 * synchronisation: an instance, and with it its {@code HostImports}, is used by one thread at a
 * time. Instances are reused across evaluations (the snapshot strategy pools them), so the sandbox
 * calls {@link #reset()} before every evaluation; clear any per-call state there.
 *
 * <p>The factory is also called once while the module loads, with a context that is never used to
 * run anything, to learn which functions the host provides (their module, name and type): imports
 * of the module that match none of them are reported as load errors. Creating a {@code HostImports}
 * must therefore be cheap and free of side effects.
 */
public interface HostImports {

  /** No host functions beyond WASI. */
  HostImports NONE = List::of;

  /**
   * The host functions of this instance. Called once per instance, when it is created; the list may
   * contain functions the module does not import (they are ignored).
   */
  List<HostFunction> functions();

  /**
   * Called on the evaluating thread before every evaluation (and before the initialisation of a new
   * instance): forget everything kept from the previous one. The default does nothing.
   */
  default void reset() {}
}
