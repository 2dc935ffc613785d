package dev.k8swasm.wasi;

/**
 * Provides the clean module state of every evaluation: the one place that decides how an instance
 * comes to be, runs and goes away. Implementations are thread-safe; each call of {@link #run} uses
 * an instance that no other evaluation sees, in the state right after instantiation (and {@code
 * _initialize}).
 *
 * <p>{@link FreshInstanceLifecycle} instantiates per call. A snapshot-restoring implementation fits
 * the same contract: restore a pooled instance, rebind its stdio to {@code io}, call the export,
 * and return the instance to the pool only when the call completed normally.
 */
interface InstanceLifecycle extends AutoCloseable {

  /**
   * Calls {@code export} with the guest's WASI stdio bound to {@code io}. Runs on the calling
   * thread, which the caller's deadline interrupts. Whatever the guest or Chicory throws (traps,
   * exits, interruption, output limits) propagates unchanged; an instance whose call did not
   * complete normally is never used again.
   */
  void run(String export, GuestIo io);

  /** Frees pooled resources; {@link #run} must not be called afterwards. */
  @Override
  void close();
}
