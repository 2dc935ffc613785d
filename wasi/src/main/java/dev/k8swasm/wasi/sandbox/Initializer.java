package dev.k8swasm.wasi.sandbox;

/**
 * Brings a new instance into the state every evaluation starts from. Runs once per instance: under
 * the snapshot strategy once while the module loads (its result is snapshotted), under the fresh
 * strategy at the start of every evaluation. During initialisation stdin is empty and stdout and
 * stderr are bounded but thrown away.
 *
 * <p>For a waPC runtime: {@code guest -> { guest.callIfExported("_start");
 * guest.callIfExported("wapc_init"); }} ({@code proc_exit(0)} in {@code _start} counts as success).
 *
 * @param <H> the type of the instance's host imports
 */
@FunctionalInterface
public interface Initializer<H extends HostImports> {

  /** WASI reactors: calls {@code _initialize} if the module exports it. The default. */
  static <H extends HostImports> Initializer<H> reactor() {
    return guest -> guest.callIfExported("_initialize");
  }

  /** Nothing to do: the state right after instantiation (data segments, start section). */
  static <H extends HostImports> Initializer<H> none() {
    return guest -> {};
  }

  /** Initialises {@code guest}. Failures propagate (they are guest failures). */
  void initialize(Guest<H> guest);
}
