package dev.k8swasm.wasi.sandbox;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;

/**
 * A ready instance during an evaluation (or its initialisation): what a {@link GuestCall} and an
 * {@link Initializer} work with. Valid only until the call returns; used by one thread.
 *
 * @param <H> the type of the instance's host imports
 */
public interface Guest<H extends HostImports> extends GuestContext {

  /** The Chicory instance, e.g. to look up exports or read globals. */
  Instance instance();

  /** The instance's linear memory, to read what the guest produced or write what it asked for. */
  Memory memory();

  /** The host imports of this instance, {@linkplain HostImports#reset() reset} for this call. */
  H host();

  /** Whether the module exports a function called {@code name}. */
  boolean exports(String name);

  /**
   * Calls the exported function {@code export} on the calling thread.
   *
   * <p>Use this rather than {@code instance().export(...)}: it treats WASI {@code proc_exit(0)} as
   * a normal return and marks the instance as unusable when the call fails, so that it is never
   * reused. Whatever the guest or a host function throws propagates; the sandbox turns it into a
   * {@link dev.k8swasm.module.ModuleException} with the right reason.
   *
   * @return the results, or {@code null} when the guest ended with {@code proc_exit(0)}
   * @throws IllegalArgumentException when the module does not export {@code export}
   */
  long[] call(String export, long... args);

  /**
   * Calls the nullary export {@code export} if the module has it (see {@link #call}).
   *
   * @return whether the module exports it
   */
  boolean callIfExported(String export);
}
