package dev.k8swasm.wasi.sandbox;

/**
 * Decides how the instance of each evaluation comes to be and goes away: the one place where the
 * fresh and the snapshot strategies differ. Implementations are thread-safe; every instance they
 * hand out is used by one evaluation at a time and starts in the module's initialised state.
 */
interface Lifecycle<H extends HostImports> extends AutoCloseable {

  /** An instance for one evaluation, not yet {@linkplain #begin begun}. */
  GuestInstance<H> acquire();

  /** Prepares {@code guest} for an evaluation reading {@code stdin}. May run guest code. */
  void begin(GuestInstance<H> guest, byte[] stdin);

  /** The evaluation completed: the instance may be reused (after restoring its state). */
  void release(GuestInstance<H> guest);

  /** The evaluation failed: the instance is never used again. */
  void discard(GuestInstance<H> guest);

  /** Frees pooled instances; instances released later are discarded. */
  @Override
  void close();
}
