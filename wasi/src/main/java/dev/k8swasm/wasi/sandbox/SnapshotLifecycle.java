package dev.k8swasm.wasi.sandbox;

/**
 * Pre-initialised instances restored from a snapshot. The module was instantiated and initialised
 * once, at load, and its state recorded ({@link InstanceSnapshot}); an evaluation takes an idle
 * instance from the pool (or, when none is idle, instantiates one and restores the whole snapshot
 * into it), runs, and, if it completed, has its state restored before it goes back to the pool:
 * only the memory blocks written during the call are copied back, memory shrinks back to the
 * snapshot's size, and globals (and tables, if the code can change them) are reset. An instance
 * whose evaluation failed is discarded. Instances restored from the snapshot never run the
 * initializer.
 */
final class SnapshotLifecycle<H extends HostImports> implements Lifecycle<H> {
  private final PreparedModule<H> prepared;
  private final InstanceSnapshot snapshot;
  private final InstancePool<GuestInstance<H>> pool;
  private volatile boolean closed;

  /**
   * @param first the instance the snapshot was taken from, already in the snapshot's state; it
   *     becomes the first pooled instance
   */
  SnapshotLifecycle(
      PreparedModule<H> prepared, InstanceSnapshot snapshot, GuestInstance<H> first, int poolSize) {
    this.prepared = prepared;
    this.snapshot = snapshot;
    this.pool = new InstancePool<>(poolSize);
    first.endEvaluation();
    if (!pool.offer(first)) {
      first.close();
    }
  }

  @Override
  public GuestInstance<H> acquire() {
    GuestInstance<H> guest = pool.poll();
    if (guest != null) {
      return guest;
    }
    guest = new GuestInstance<>(prepared);
    if (!snapshot.restore(guest, true)) {
      guest.close();
      throw new IllegalStateException(
          "module '" + prepared.name() + "': a new instance does not match the snapshot");
    }
    return guest;
  }

  @Override
  public void begin(GuestInstance<H> guest, byte[] stdin) {
    guest.beginEvaluation(stdin, false);
  }

  @Override
  public void release(GuestInstance<H> guest) {
    guest.endEvaluation();
    if (closed || guest.broken() || !snapshot.restore(guest, false) || !pool.offer(guest)) {
      guest.close();
    } else if (closed) {
      close();
    }
  }

  @Override
  public void discard(GuestInstance<H> guest) {
    guest.close();
  }

  /** The snapshot (tests). */
  InstanceSnapshot snapshot() {
    return snapshot;
  }

  @Override
  public void close() {
    closed = true;
    for (GuestInstance<H> guest : pool.drain()) {
      guest.close();
    }
  }
}
